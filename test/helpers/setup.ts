// Jest runs tests in a vm context whose Symbol lacks Node's Symbol.dispose/asyncDispose
// (Node >= 20.4 defines them only on the main realm); `using` needs them.
const symbols = Symbol as unknown as { dispose?: symbol; asyncDispose?: symbol };
symbols.dispose ??= Symbol.for('nodejs.dispose');
symbols.asyncDispose ??= Symbol.for('nodejs.asyncDispose');
