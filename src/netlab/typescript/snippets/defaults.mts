// Rules for default type parameters (Handbook, Generics, "Generic Parameter Defaults").
type Page<Item, Cursor extends string | number = string> = { items: Item[]; next: Cursor | null };
type Short = Page<number>; // Cursor defaults to string

type BadOrder<T = string, U> = [T, U]; // error: TS2706
type BadDefault<T extends number = string> = T; // error: TS2344

const page: Short = { items: [1, 2], next: "b" };
const byNumber: Page<number, number> = { items: [3], next: 2 };
console.log(page.next, byNumber.next);
