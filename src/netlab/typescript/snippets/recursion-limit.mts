// How deep the checker recurses: a tail-recursive conditional type that builds a tuple of N zeros.
type Zeros<N extends number, Acc extends 0[] = []> = Acc["length"] extends N ? Acc : Zeros<N, [...Acc, 0]>;
const deep: Zeros<999>["length"] = 999; // 999 levels: accepted
const tooDeep: Zeros<1000>["length"] = 1000; // error: TS2589
console.log(deep, tooDeep);
