// Three TypeScript constructs that emit JavaScript, so they cannot just be erased.
enum Status {
  Ok = 200,
  NotFound = 404,
}

namespace Http {
  export const port = 80;
}

class Server {
  constructor(private readonly port: number) {}
  describe(): string {
    return `listening on ${this.port}`;
  }
}

console.log(Status.Ok, Status[404], Http.port, new Server(8080).describe());
