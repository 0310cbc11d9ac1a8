// Method parameters are bivariant; function-typed properties are checked contravariantly
// under strictFunctionTypes (part of strict).
class Animal {
  name = "animal";
}
class Dog extends Animal {
  bark(): string {
    return "woof";
  }
}

interface MethodHandler {
  handle(animal: Animal): void; // method syntax
}
interface PropertyHandler {
  handle: (animal: Animal) => void; // property with a function type
}

const viaMethod: MethodHandler = { handle: (dog: Dog) => console.log(dog.bark()) };
const viaProperty: PropertyHandler = { handle: (dog: Dog) => console.log(dog.bark()) }; // error: TS2322
try {
  viaMethod.handle(new Animal()); // accepted by tsc
} catch (e) {
  console.log(String(e));
}
console.log(typeof viaProperty.handle);
