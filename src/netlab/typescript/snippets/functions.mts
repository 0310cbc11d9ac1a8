// Function types, parameters, overloads and generic call signatures (Handbook, More on Functions).
type Handler = (request: string, attempt?: number) => string; // a function type expression
const handle: Handler = (request, attempt = 1) => `${request} #${attempt}`;
function sum(first: number, ...rest: number[]): number {
  return rest.reduce((total, n) => total + n, first);
}
sum(1, 2, 3);
sum(); // error: TS2555

// Overloads: the signatures callers see, then one implementation they do not.
function parsePort(value: string): number;
function parsePort(value: number): number;
function parsePort(value: string | number): number {
  return typeof value === "number" ? value : Number.parseInt(value, 10);
}
declare const fromConfig: string | number;
parsePort("8080");
parsePort(fromConfig); // error: TS2769
function toPort(value: string | number): number { // a union parameter accepts the union
  return typeof value === "number" ? value : Number.parseInt(value, 10);
}
toPort(fromConfig);
type LastOverload = ReturnType<typeof parsePort>; // the last overload's return type

// Generic call signatures: where the type parameter is bound decides who picks T.
type Identity = <T>(value: T) => T; // each call picks its own T
type IdentityOf<T> = (value: T) => T; // T is fixed when the type is used
const identity: Identity = (value) => value;
const forPorts: IdentityOf<number> = identity;
const name: string = identity("syn");
const wrong: string = forPorts(80); // error: TS2322
const notGeneric: Identity = (value: number) => value; // error: TS2322
console.log(handle("GET"), parsePort("8080"), toPort(443), name, wrong, notGeneric,
  parsePort(443) satisfies LastOverload);
