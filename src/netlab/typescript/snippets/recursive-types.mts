// Recursive types: a JSON value, and a deep Readonly (Handbook, Mapped Types; 3.7's recursive aliases).
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const config: Json = { port: 80, hosts: ["a", "b"], tls: { enabled: true } };
const notJson: Json = { started: new Date(0) }; // error: TS2322

type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : { readonly [K in keyof T]: DeepReadonly<T[K]> };
interface Settings {
  server: { port: number; hosts: string[] };
  name: string;
}
const settings: DeepReadonly<Settings> = { server: { port: 80, hosts: ["a"] }, name: "api" };
settings.server.port = 8080; // error: TS2540
settings.server.hosts.push("b"); // error: TS2339

// JSON.parse can only produce a Json, so this annotation is true; it still needs narrowing.
function parseJson(text: string): Json {
  return JSON.parse(text);
}
const parsed = parseJson('{"port": 80}');
console.log(parsed.port); // error: TS18047, TS2339
type Loop = Loop; // error: TS2456
console.log(config, notJson);
