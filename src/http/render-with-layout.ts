import path from 'node:path';
import ejs from 'ejs';

type RenderCallback = (error: Error | null, html?: string) => void;

/**
 * The view engine: renders the page's view, then wraps it in views/layout.ejs (header, navigation,
 * display controls, flash messages, footer). A view opts out with `layout: false` (e.g. e-mails).
 */
export function createLayoutEngine(viewsDir: string, cache: boolean) {
  const layoutPath = path.join(viewsDir, 'layout.ejs');
  return (filePath: string, viewOptions: object, callback: RenderCallback): void => {
    const options = viewOptions as Record<string, unknown>;
    const renderOptions = { ...options, cache, filename: filePath };
    ejs.renderFile(filePath, renderOptions, (error, body) => {
      if (error) return callback(error);
      if (options.layout === false) return callback(null, body);
      ejs.renderFile(layoutPath, { ...renderOptions, filename: layoutPath, body }, callback);
    });
  };
}
