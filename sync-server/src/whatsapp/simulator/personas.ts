/**
 * The demo's fake customers and what they say: a few help-desk stories in Brazilian Portuguese and
 * English. Numbers are fictional (Brazilian mobiles, US 555-01xx).
 */

export interface Persona {
  name: string
  /** wa_id: country code and number, digits only. */
  phone: string
  /** First messages of a new story, one per visit. */
  openers: string[]
  /** When nobody answered the last message. */
  nudges: string[]
  /** After an agent's reply. */
  followUps: string[]
  /** A photo they may send, as a caption; the picture is drawn in this colour. */
  photo?: { caption: string; colour: [number, number, number] }
  /** A place they may share. */
  place?: { latitude: number; longitude: number; name: string; address: string }
  /** A cart from the catalog they may send (prices in the currency's units). */
  order?: {
    catalogId: string
    note?: string
    items: Array<{ id: string; quantity: number; price: number; currency: string }>
  }
  /** A form they may answer (a WhatsApp Flow): the fields as the flow's `response_json` has them. */
  flow?: { body: string; response: Record<string, string> }
  /** A correction of one of their openers (by index), sent while that story is the latest. */
  edit?: { opener: number; text: string }
  /** A message sent to the wrong chat, deleted again a few seconds later. */
  oops?: string
}

/**
 * Every persona line is sent at most once per data directory (the simulator keeps its progress),
 * so a long demo ends with quiet customers rather than repeats.
 */

export const PERSONAS: readonly Persona[] = [
  {
    name: 'Maria Oliveira',
    phone: '5511987650001',
    openers: [
      'Oi, boa tarde! Meu pedido #48213 ainda não chegou, era pra ter chegado ontem.',
      'Olá! Comprei um liquidificador e ele veio com a tampa trincada. Como faço a troca?',
      'Bom dia, queria saber se vocês entregam no sábado.',
    ],
    nudges: ['Alguém aí? 🙏', 'Oi? Ainda estou aguardando retorno.'],
    followUps: [
      'Obrigada! E qual o prazo pra isso?',
      'Entendi. Vocês me avisam por aqui quando sair pra entrega?',
      'Perfeito, muito obrigada pela ajuda! 😊',
    ],
    photo: { caption: 'Olha como chegou a tampa', colour: [214, 96, 77] },
    edit: {
      opener: 0,
      text: 'Oi, boa tarde! Meu pedido #48231 ainda não chegou, era pra ter chegado ontem.',
    },
    order: {
      catalogId: '1428559901234567',
      note: 'Pode mandar a tampa nova junto, por favor?',
      items: [
        { id: 'LIQ-700-PRETO', quantity: 1, price: 189.9, currency: 'BRL' },
        { id: 'COPO-LIQ-700', quantity: 2, price: 34.5, currency: 'BRL' },
      ],
    },
  },
  {
    name: 'João Pereira',
    phone: '5521998760002',
    openers: [
      'Boa noite. O boleto que recebi está com o valor errado, podem conferir?',
      'Oi, paguei pelo Pix há duas horas e o pedido continua como pendente.',
      'Quero cancelar a minha assinatura, como faço?',
    ],
    nudges: ['Pessoal, alguém pode me ajudar?', 'Oi, tudo bem? Consegue ver isso pra mim?'],
    followUps: [
      'Beleza. Preciso mandar o comprovante?',
      'Ok, vou aguardar então.',
      'Valeu! Resolveu aqui.',
    ],
    place: {
      latitude: -22.9068,
      longitude: -43.1729,
      name: 'Centro, Rio de Janeiro',
      address: 'Av. Rio Branco, 156 - Centro, Rio de Janeiro - RJ',
    },
    flow: {
      body: 'Enviado',
      response: {
        motivo: 'Preço',
        cancelar_em: '2026-12-31',
        comentario: 'Gostei do serviço, mas está caro pra mim agora.',
      },
    },
    oops: 'Amor, compra pão na volta?',
  },
  {
    name: 'Emily Carter',
    phone: '14155550103',
    openers: [
      'Hi! I ordered a size M jacket but it’s too small. Can I exchange it for an L?',
      'Hello, my tracking number hasn’t updated in 4 days. Order 77120.',
      'Hi there, do you ship to Canada?',
    ],
    nudges: ['Hello? Anyone there?', 'Just following up on my message above.'],
    followUps: [
      'Great, thanks! Do I need to print a label?',
      'Thanks for the quick answer 🙌',
      'Perfect, that works for me.',
    ],
    photo: { caption: 'This is the jacket I received', colour: [64, 120, 192] },
    edit: {
      opener: 0,
      text: 'Hi! I ordered a size M jacket but it’s too tight. Can I exchange it for an L?',
    },
    order: {
      catalogId: '1428559901234567',
      note: 'Exchange for my size M, please',
      items: [{ id: 'JACKET-WINTER-L', quantity: 1, price: 129, currency: 'USD' }],
    },
  },
  {
    name: 'Lucas Almeida',
    phone: '5531991230004',
    openers: [
      'E aí, tudo certo? O fone que comprei parou de funcionar do lado esquerdo.',
      'Oi! Vocês têm loja física em BH? Queria retirar pessoalmente.',
    ],
    nudges: ['Opa, conseguiram ver minha mensagem?'],
    followUps: ['Show, obrigado!', 'Tá, e a garantia cobre isso?', 'Fechou 👍'],
    place: {
      latitude: -19.9167,
      longitude: -43.9345,
      name: 'Savassi, Belo Horizonte',
      address: 'Praça da Savassi - Savassi, Belo Horizonte - MG',
    },
    flow: {
      body: 'Enviado',
      response: {
        produto: 'Fone Bluetooth X2',
        defeito: 'Lado esquerdo sem som',
        nota_fiscal: 'NF 18422',
      },
    },
    oops: 'kkkkk vi agora',
  },
]
