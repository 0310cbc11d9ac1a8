// Conditional types with infer, mapped types with key remapping, template literal types.
type ElementOf<T> = T extends readonly (infer E)[] ? E : never;
type Unwrap<T> = T extends Promise<infer V> ? V : T;
type NonNull<T> = T extends null | undefined ? never : T; // distributes over a union

type Port = ElementOf<number[]>; // number
type Body = Unwrap<Promise<{ id: number }>>; // { id: number }
type Present = NonNull<string | null | undefined>; // string

type Handlers<E extends string> = { [K in E as `on${Capitalize<K>}`]: (event: K) => void };
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const handlers: Handlers<"open" | "close"> = {
  onOpen: (event) => console.log(event),
  onClose: (event) => console.log(event),
};
const port: Port = 443;
const body: Body = { id: 7 };
const present: Present = "syn";
const config: Mutable<Readonly<{ host: string }>> = { host: "a" };
config.host = "b";
handlers.onOpen("open");
console.log(port, body.id, present, config.host);
const wrong: Handlers<"open"> = { onopen: () => {} }; // error: TS2561
const notAPort: Port = "443"; // error: TS2322
