// Merging two objects: what the constraint buys, and where T & U stops telling the truth.
function merge<T extends object, U extends object>(a: T, b: U): T & U {
  return { ...a, ...b };
}
const conn = merge({ host: "db", port: 5432 }, { tls: true });
console.log(conn.host, conn.port.toFixed(0), conn.tls);
merge({ host: "db" }, 5432); // error: TS2345

// Both have port: the spread keeps the second, the intersection says number & string = never.
const clash = merge({ port: 5432 }, { port: "5432" });
const port: number = clash.port; // accepted: never is assignable to number
console.log(typeof port); // prints string

// A type that says what the spread does: b's keys replace a's.
type Merged<T, U> = Omit<T, keyof U> & U;
function mergeExact<T extends object, U extends object>(a: T, b: U): Merged<T, U> {
  return { ...a, ...b };
}
const exact = mergeExact({ host: "db", port: 5432 }, { port: "5432" });
const exactPort: number = exact.port; // error: TS2322
console.log(exact.host, exactPort);
