// A tiny Eleventy blog for test/recipes: the snippets of docs/recipes/eleventy.md, built by the test.
export default function (eleventyConfig) {
  eleventyConfig.ignores.add('eleventy.config.js');
}

export const config = { dir: { input: '.', includes: '_includes', data: '_data' } };
