// A type error does not stop tsc from writing JavaScript unless noEmitOnError is set.
const port: number = "8080"; // error: TS2322
console.log("port + 1 =", port + 1);
