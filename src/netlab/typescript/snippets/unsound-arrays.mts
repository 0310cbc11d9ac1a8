// Arrays are covariant: a Cat[] may be used as an Animal[], and then a Dog can get in.
class Animal {
  name = "animal";
}
class Cat extends Animal {
  meow(): string {
    return "meow";
  }
}
class Dog extends Animal {
  bark(): string {
    return "woof";
  }
}

const cats: Cat[] = [new Cat()];
const animals: Animal[] = cats; // accepted: Cat[] is assignable to Animal[]
animals.push(new Dog()); // accepted: a Dog is an Animal
console.log("cats:", cats.length);
for (const cat of cats) {
  console.log(cat.meow()); // the second "cat" is a Dog
}
