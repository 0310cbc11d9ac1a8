// Type parameters on an interface, a class and a type alias, with a default.
interface Box<T> {
  value: T;
}

class Stack<T> {
  private items: T[] = [];
  push(item: T): void {
    this.items.push(item);
  }
  pop(): T | undefined {
    return this.items.pop();
  }
}

type Page<Item, Cursor = string> = { items: Item[]; next: Cursor | null };

const box: Box<string> = { value: "syn" };
const stack = new Stack<number>();
stack.push(80);
stack.push(443);
const page: Page<number> = { items: [1, 2], next: null }; // Cursor defaults to string
console.log(box.value, stack.pop(), page.items.length);
stack.push("8080"); // error: TS2345
