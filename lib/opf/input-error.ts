/** Input the OPF cannot work with; the message names the element and is meant for the user. */
export class OpfInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpfInputError";
  }
}
