// Under strict (noImplicitAny), a parameter the checker cannot type is an error, not `any`.
export function echo(x) { // error: TS7006
  return x;
}
