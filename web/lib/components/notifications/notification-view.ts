/** A notification ready to show: its sentence and where it leads (computed by the inbox layout). */
export interface NotificationView {
  id: string
  text: string
  href: string
  createdAt: number
  read: boolean
}

export type DesktopPermission = NotificationPermission | 'unsupported'
