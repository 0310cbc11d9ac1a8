// @experimentalDecorators: true
// @emitDecoratorMetadata: true
// With emitDecoratorMetadata, a decorated property's declared type survives as a value.
function column(target: object, key: string): void {
  void target;
  void key;
}

class UserRow {
  @column id: number = 0;
  @column name: string = "";
}

console.log(Object.keys(new UserRow()).join(","));
