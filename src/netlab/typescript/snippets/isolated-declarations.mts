// @isolatedDeclarations: true
// @declaration: true
// isolatedDeclarations (TypeScript 5.5): every export's type must be written out, so that
// other tools can write the .d.ts file without running the type checker.
export function parsePort(text: string) {
  return Number(text); // error: TS9013
}
export function parsePortTyped(text: string): number {
  return Number(text);
}
export const defaults = { port: parsePortTyped("8080") }; // error: TS9013
