export async function trainInBrowser(_: unknown): Promise<never> { throw new Error('not yet'); }
