// A tiny Astro blog for test/recipes: the snippets of docs/recipes/astro.md, built by the test.
import { defineConfig } from 'astro/config';

export default defineConfig({ site: 'https://blog.example.com' });
