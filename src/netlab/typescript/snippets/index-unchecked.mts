// Without noUncheckedIndexedAccess (the default, also under strict), an index is trusted.
function first<T>(items: T[]): T {
  return items[0];
}

const ports: number[] = [];
const port = first(ports); // port: number, but the array is empty
console.log("typeof port:", typeof port);
const timeouts: Record<string, number> = { connect: 5 };
console.log("read timeout + 1 =", timeouts.read + 1); // a number that is NaN
console.log(port.toFixed(0)); // accepted by tsc
