// plotly.js-cartesian-dist-min ships no types: it is the same plotly.js release built with fewer trace types.
declare module 'plotly.js-cartesian-dist-min' {
  export * from 'plotly.js-dist-min';
  export { default } from 'plotly.js-dist-min';
}
