/** Turns a picked picture into a data URL small enough for the API (1 MB body limit). */
const DIRECT_LIMIT = 700 * 1024
const MAX_SIDE = 1280

export const IMAGE_TYPES = ['image/jpeg', 'image/png']

function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(reader.result as string)
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(file)
  })
}

/** The file as is when small; otherwise scaled down to 1280 px and re-encoded as JPEG. */
export async function imageToDataUrl(file: File): Promise<string> {
  if (file.size <= DIRECT_LIMIT) return readAsDataUrl(file)
  const bitmap = await createImageBitmap(file)
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.max(1, Math.round(bitmap.width * scale))
  canvas.height = Math.max(1, Math.round(bitmap.height * scale))
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  bitmap.close()
  return canvas.toDataURL('image/jpeg', 0.85)
}
