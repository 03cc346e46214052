/** The part of jStat (npm:jstat) the summaries use. */
declare const jStat: {
  readonly studentt: {
    /** The quantile of Student's t with `dof` degrees of freedom at probability `p`. */
    inv(p: number, dof: number): number;
    /** The distribution function of Student's t with `dof` degrees of freedom at `t`. */
    cdf(t: number, dof: number): number;
  };
};
export default jStat;
