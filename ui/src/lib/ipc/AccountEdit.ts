

export type AccountEdit = { issuer: string, name: string, groups: Array<string>, note: string, favorite: boolean, };
