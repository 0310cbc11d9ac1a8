// Classes: TypeScript's private is checked and erased; #private is enforced by JavaScript.
interface Shape {
  area(): number;
}
class Circle implements Shape {
  constructor(readonly radius: number) {}
  area(): number {
    return Math.PI * this.radius ** 2;
  }
}
function radiusOf(value: unknown): number {
  if (value instanceof Circle) return value.radius; // a class is a value: instanceof narrows
  if (value instanceof Shape) return 0; // error: TS2693
  return -1;
}

class Account {
  private balance = 100; // checked by tsc, a plain property at run time
  #pin = 1234; // a JavaScript private field: the engine refuses outside access
  protected owner = "kim";
  static hasPin(value: object): boolean {
    return #pin in value; // an ergonomic brand check (ES2022)
  }
}
const account = new Account();
account.balance; // error: TS2341
console.log(account["balance"]); // bracket access is allowed: prints 100
account.#pin; // error: TS18013
account.owner; // error: TS2445
console.log(Object.keys(account), Account.hasPin(account), Account.hasPin({}));

class Celsius { private degrees = 0; }
class Fahrenheit { private degrees = 0; }
const temperature: Celsius = new Fahrenheit(); // error: TS2322
const plain: Circle = { radius: 1, area: () => 3 }; // structural: a Circle without the class
console.log(radiusOf(new Circle(2)), radiusOf(plain), temperature);
