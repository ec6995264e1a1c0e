export function readDevVar(text: string, name: string): string | undefined;
export function withDevSecrets(
  text: string,
  options: { placeholder: string | undefined; generate: () => string },
): { text: string; added: string[] };
