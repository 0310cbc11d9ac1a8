// A type parameter keeps the relation: the result has the element type of the input.
function first<T>(items: T[]): T {
  return items[0];
}

const port = first([8080, 8443]); // inferred: first<number>, so port: number
const host = first(["a.example", "b.example"]); // first<string>, so host: string
console.log(host.toUpperCase());
console.log(port.toUpperCase()); // error: TS2339
