// Inferred type predicates (TypeScript 5.5): filter's callback narrows the array's type.
const maybePorts = [80, undefined, 443];
const ports: number[] = maybePorts.filter((port) => port !== undefined); // x is number, inferred
const isPresent = (port: number | undefined) => port !== undefined; // (port) => port is number
const more: number[] = maybePorts.filter(isPresent);
const wrong: number[] = maybePorts.filter((port) => !!port); // error: TS2322
console.log(ports.join(","), more.length, wrong.length);
