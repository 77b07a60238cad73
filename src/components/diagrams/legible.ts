/**
 * Diagram text must never render below 12 CSS px, whatever the width of the page. An SVG scales
 * its drawing to the width it is given, so each diagram gets a minimum width at which its smallest
 * text is 12 px; below that the figure's frame scrolls sideways instead of shrinking the text.
 */
export const MIN_DIAGRAM_TEXT_PX = 12;

/** The `style` for an <svg> whose viewBox is `viewBoxWidth` wide and whose smallest text is `smallestText` user units. */
export function legibleMinWidth(viewBoxWidth: number, smallestText: number): string {
  return `min-width: ${Math.ceil((viewBoxWidth * MIN_DIAGRAM_TEXT_PX) / smallestText)}px`;
}
