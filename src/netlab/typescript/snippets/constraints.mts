// Without a constraint nothing is known about T; `extends` says what T must have.
function lengthOf<T>(value: T): number {
  return value.length; // error: TS2339
}

function longest<T extends { length: number }>(a: T, b: T): T {
  return a.length >= b.length ? a : b;
}

console.log(longest("syn", "syn-ack"));
console.log(longest([1, 2], [1, 2, 3]).length);
longest(10, 20); // error: TS2345
