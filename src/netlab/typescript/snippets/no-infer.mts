// NoInfer<T> (TypeScript 5.4): this argument is checked against T but not used to infer it.
function createStreetLight<C extends string>(colors: C[], defaultColor?: C): C | undefined {
  return defaultColor ?? colors[0];
}
function createStrictLight<C extends string>(colors: C[], defaultColor?: NoInfer<C>): C | undefined {
  return defaultColor ?? colors[0];
}

createStreetLight(["red", "yellow", "green"], "blue"); // accepted: C became the four colours
createStrictLight(["red", "yellow", "green"], "blue"); // error: TS2345
console.log(createStrictLight(["red", "green"], "green"));
