/**
 * Eigenvalues of a symmetric tridiagonal matrix by the implicit QL method with Wilkinson shifts
 * (Bowdler, Martin, Reinsch & Wilkinson 1968, the tql1 procedure). The Golub-Welsch method reads
 * the nodes of a Gauss rule off the eigenvalues of the rule's Jacobi matrix; only eigenvalues are
 * needed here because the weights are computed afterwards from the three-term recurrence.
 *
 * `diagonal` has n entries, `offDiagonal` n - 1 (entry k couples rows k and k + 1). Returns the
 * eigenvalues in ascending order.
 */
export function tridiagonalEigenvalues(
  diagonal: ArrayLike<number>,
  offDiagonal: ArrayLike<number>,
): Float64Array {
  const n = diagonal.length;
  const d = Float64Array.from(diagonal);
  const e = new Float64Array(n);
  for (let k = 0; k < n - 1; k++) e[k] = offDiagonal[k] as number;
  for (let l = 0; l < n; l++) {
    for (let iteration = 0; ; iteration++) {
      let m = l;
      // Split the matrix where an off-diagonal entry is negligible next to its neighbours.
      for (; m < n - 1; m++) {
        const scale = Math.abs(d[m] as number) + Math.abs(d[m + 1] as number);
        if (Math.abs(e[m] as number) <= Number.EPSILON * scale) break;
      }
      if (m === l) break;
      if (iteration === 100) throw new Error(`tridiagonal QL did not converge at row ${l}`);
      let g = ((d[l + 1] as number) - (d[l] as number)) / (2 * (e[l] as number));
      let r = Math.hypot(g, 1);
      g = (d[m] as number) - (d[l] as number) + (e[l] as number) / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let deflated = false;
      for (let i = m - 1; i >= l; i--) {
        const f = s * (e[i] as number);
        const b = c * (e[i] as number);
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: the matrix splits here; restart the sweep on the smaller block.
          d[i + 1] = (d[i + 1] as number) - p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = (d[i + 1] as number) - p;
        r = ((d[i] as number) - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (deflated) continue;
      d[l] = (d[l] as number) - p;
      e[l] = g;
      e[m] = 0;
    }
  }
  return d.sort();
}
