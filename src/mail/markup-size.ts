// How big a DOM some HTML would make, found with a streaming tokenizer before any DOM is built: jsdom's
// parser takes time growing with the square of the nesting, so hostile mail must not reach it unchecked.
import { Parser } from 'htmlparser2';

export interface MarkupLimits {
  elements: number;
  depth: number;
}

/** The markup, tokenized, opens at most `limits.elements` elements nested at most `limits.depth` deep. */
export function isSmallMarkup(html: string, limits: MarkupLimits): boolean {
  let elements = 0;
  let depth = 0;
  let small = true;
  const parser = new Parser({
    onopentagname() {
      elements += 1;
      depth += 1;
      if (elements > limits.elements || depth > limits.depth) {
        small = false;
        parser.pause();
      }
    },
    onclosetag() {
      depth -= 1;
    },
  });
  parser.write(html);
  if (small) parser.end();
  return small;
}
