// The everyday types (Handbook, Everyday Types; Object Types; More on Functions).
const enabled: boolean = true;
const port: number = 443; // one number type: IEEE 754 double, integers included
const big: bigint = 2n ** 64n;
const host: string = "example.com";
const id: symbol = Symbol("id");
const ports: number[] = [80, 443]; // the same type as Array<number>
const entry: [string, number] = ["https", 443]; // a tuple: fixed length, a type per position
const tooLong: [string, number] = ["https", 443, 8443]; // error: TS2322
const loose: {} = 0; // {} is every value except null and undefined
const objectOnly: object = 0; // error: TS2322
const nothing: null = null;
const missing: undefined = undefined;

// void: "the caller must not use the result"; undefined: the value undefined.
function log(message: string): void {
  console.log(message);
}
const used: undefined = log("start"); // error: TS2322
type Callback = () => void;
const returnsNumber: Callback = () => 42; // accepted: a void-returning type ignores the result
returnsNumber().toFixed(); // error: TS2339
function done(): undefined {} // accepted since 5.1: no return statement needed
console.log(enabled, port, big, host, id.description, ports, entry, tooLong, loose, objectOnly,
  nothing, missing, used, done());
