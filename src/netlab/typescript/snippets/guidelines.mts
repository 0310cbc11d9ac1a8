// The Handbook's guidelines for generic functions (More on Functions).
// Push type parameters down: constrain the element, not the array.
function firstElement1<Type>(arr: Type[]) {
  return arr[0];
}
function firstElement2<Type extends any[]>(arr: Type) {
  return arr[0]; // resolved through the constraint: any
}
const a: string = firstElement1([1, 2, 3]); // error: TS2322
const b: string = firstElement2([1, 2, 3]); // accepted: b came back as any

// Use fewer type parameters: Func adds nothing that (arg: Type) => boolean does not say.
function filter1<Type>(arr: Type[], func: (arg: Type) => boolean): Type[] {
  return arr.filter(func);
}
function filter2<Type, Func extends (arg: Type) => boolean>(arr: Type[], func: Func): Type[] {
  return arr.filter(func);
}

// Type parameters should appear twice: Str relates nothing, so `s: string` says the same.
function greet<Str extends string>(s: Str): void {
  console.log("Hello, " + s);
}
greet(String(filter1([1, 2], (n) => n > 1).length + filter2([3], (n) => n > 2).length));
console.log(a, b);
