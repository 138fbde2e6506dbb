

export type RevealedSecret = { secret: string, link: string, };
