// cytoscape-svg ships no types: an extension registered with cytoscape.use, adding cy.svg(options).
declare module 'cytoscape-svg' {
  import type cytoscape from 'cytoscape'
  const ext: cytoscape.Ext
  export default ext
}
