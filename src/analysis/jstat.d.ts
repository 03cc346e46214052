/** The part of jStat (npm:jstat) the summaries use. */
declare const jStat: {
  readonly studentt: {
    /** The quantile of Student's t with `dof` degrees of freedom at probability `p`. */
    inv(p: number, dof: number): number;
  };
};
export default jStat;
