import type { Dictionary } from './en'

/** Brazilian Portuguese. Typed as `Dictionary`, so it cannot miss a key English has. */
export const ptBR: Dictionary = {
  app: {
    name: 'Atende',
  },
  login: {
    title: 'Entrar',
    intro: 'Caixa de entrada da equipe para atendimento pelo WhatsApp',
    email: 'E-mail',
    password: 'Senha',
    submit: 'Entrar',
    wrongCredentials: 'E-mail ou senha incorretos',
    tooManyAttempts: 'Muitas tentativas, tente novamente mais tarde',
    unreachable: 'Não foi possível falar com o servidor. Verifique sua conexão e tente de novo.',
    unexpected: 'Algo deu errado. Tente de novo.',
  },
  shell: {
    demoBadge: 'Demo: WhatsApp simulado',
    demoBadgeHint: 'As mensagens vão para um simulador do WhatsApp, não para clientes reais.',
    language: 'Idioma',
    signOut: 'Sair',
    signOutFailed: 'Não foi possível sair. Verifique sua conexão e tente de novo.',
    sessionExpired: 'Sua sessão terminou. Entre novamente.',
    dismiss: 'Fechar',
  },
  connection: {
    label: 'Conexão',
    offline: 'Offline',
    syncing: 'Sincronizando…',
    synced: 'Sincronizado',
  },
  inbox: {
    title: 'Caixa de entrada',
    conversations: 'Conversas',
    empty: 'Nenhuma conversa ainda',
    emptyHint: 'Novas mensagens do WhatsApp aparecerão aqui.',
    unread: (count: number) =>
      count === 1 ? '1 mensagem não lida' : `${count} mensagens não lidas`,
    noMessagesYet: 'Nenhuma mensagem ainda',
    selectConversation: 'Selecione uma conversa para ler.',
    conversationNotFound: 'Esta conversa não está na sua caixa de entrada.',
  },
  error: {
    notFound: 'Página não encontrada',
    generic: 'Algo deu errado',
    backToInbox: 'Voltar para a caixa de entrada',
  },
}
