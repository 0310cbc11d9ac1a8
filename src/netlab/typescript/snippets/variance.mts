// Variance: a producer is covariant (out), a consumer contravariant (in), both is invariant.
class Animal {
  name = "animal";
}
class Cat extends Animal {
  meow(): string {
    return "meow";
  }
}

interface Producer<out T> {
  make: () => T;
}
interface Consumer<in T> {
  accept: (value: T) => void;
}
interface Wrong<out T> { // error: TS2636
  accept: (value: T) => void;
}

const catMaker: Producer<Cat> = { make: () => new Cat() };
const animalEater: Consumer<Animal> = { accept: (a) => console.log(a.name) };
const maker: Producer<Animal> = catMaker; // covariant: allowed
const catEater: Consumer<Cat> = animalEater; // contravariant: allowed
const bad: Consumer<Animal> = { accept: (c: Cat) => console.log(c.meow()) }; // error: TS2322
catEater.accept(new Cat());
console.log(maker.make().name, typeof bad);
