import { createHash } from "node:crypto";
import sharp from "sharp";
import type { JobParams } from "@/lib/api/contract/jobs.schema";
import type { GenerationResult } from "./backend";

/**
 * The demo backend's renderers: real images with sharp, deterministic from the product, the prompt and
 * the seed (the same request renders the same bytes).
 */
export function seedHash(productId: string, prompt: string, params: JobParams): Buffer {
  return createHash("sha256")
    .update(`${productId}\0${prompt}\0${params.seed ?? 0}`)
    .digest();
}

const escapeXml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[ch]!,
  );

function wrap(text: string, perLine: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const piece = word.length > perLine ? `${word.slice(0, perLine - 1)}…` : word;
    if (line && line.length + 1 + piece.length > perLine) {
      lines.push(line);
      line = piece;
    } else line = line ? `${line} ${piece}` : piece;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    lines.length = maxLines;
    lines[maxLines - 1] = `${lines[maxLines - 1]!.slice(0, perLine - 1)}…`;
  }
  return lines;
}

/** A caption band with the prompt, as an SVG the size of the image. */
function captionSvg(width: number, height: number, prompt: string): string {
  const size = Math.max(12, Math.round(Math.min(width, height) / 18));
  const lines = wrap(prompt, Math.max(8, Math.floor(width / (size * 0.58))), 3);
  const band = lines.length * size * 1.3 + size;
  const y0 = height - band;
  const text = lines
    .map(
      (l, i) =>
        `<text x="${size * 0.75}" y="${(y0 + size * 1.25 + i * size * 1.3).toFixed(1)}">${escapeXml(l)}</text>`,
    )
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect x="0" y="${y0.toFixed(1)}" width="${width}" height="${band.toFixed(1)}" fill="#000" fill-opacity="0.45"/>` +
    `<g font-family="sans-serif" font-size="${size}" fill="#fff">${text}</g></svg>`
  );
}

const hsl = (h: number, s: number, l: number) => `hsl(${Math.round(h) % 360},${s}%,${l}%)`;

/** Text to image: a gradient and shapes chosen by the hash, the prompt on a caption band. */
export async function renderTextToImage(
  hash: Buffer,
  prompt: string,
  params: JobParams,
): Promise<GenerationResult> {
  const width = params.width ?? 512;
  const height = params.height ?? 512;
  const hue = (hash[0]! / 255) * 360;
  const angle = (hash[1]! / 255) * Math.PI * 2;
  const [x2, y2] = [0.5 + Math.cos(angle) / 2, 0.5 + Math.sin(angle) / 2];
  const shapes: string[] = [];
  for (let i = 0; i < 7; i++) {
    const b = (k: number) => hash[(2 + i * 4 + k) % hash.length]! / 255;
    const fill = hsl(hue + 60 + b(0) * 180, 70, 40 + b(1) * 30);
    const [cx, cy, r] = [b(1) * width, b(2) * height, (0.05 + b(3) * 0.2) * Math.min(width, height)];
    shapes.push(
      i % 2
        ? `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${r.toFixed(1)}" fill="${fill}" fill-opacity="0.55"/>`
        : `<rect x="${(cx - r).toFixed(1)}" y="${(cy - r).toFixed(1)}" width="${(r * 2).toFixed(1)}" height="${(r * 1.4).toFixed(1)}" rx="${(r / 4).toFixed(1)}" fill="${fill}" fill-opacity="0.5" transform="rotate(${Math.round(b(0) * 90)} ${cx.toFixed(1)} ${cy.toFixed(1)})"/>`,
    );
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><linearGradient id="g" x1="${(1 - x2).toFixed(3)}" y1="${(1 - y2).toFixed(3)}" x2="${x2.toFixed(3)}" y2="${y2.toFixed(3)}">` +
    `<stop offset="0" stop-color="${hsl(hue, 75, 55)}"/><stop offset="1" stop-color="${hsl(hue + 140, 70, 30)}"/>` +
    `</linearGradient></defs><rect width="${width}" height="${height}" fill="url(#g)"/>${shapes.join("")}</svg>`;
  const bytes = await sharp(Buffer.from(svg))
    .composite([{ input: Buffer.from(captionSvg(width, height, prompt)) }])
    .png()
    .toBuffer();
  return { bytes, contentType: "image/png", width, height };
}

/** Image edit: the source re-coloured (hue turned by the hash), maybe mirrored, resized, captioned. */
export async function renderEdit(
  hash: Buffer,
  prompt: string,
  params: JobParams,
  source: Buffer,
): Promise<GenerationResult> {
  const both = params.width !== undefined && params.height !== undefined;
  let pipeline = sharp(source)
    .rotate()
    .resize({
      width: params.width ?? 1024,
      height: params.height ?? 1024,
      fit: both ? "cover" : "inside",
      withoutEnlargement: params.width === undefined && params.height === undefined,
    })
    .modulate({ hue: Math.round((hash[0]! / 255) * 300) + 30, saturation: 1.3, brightness: 1.05 });
  if (hash[1]! & 1) pipeline = pipeline.flop();
  const { data, info } = await pipeline.png().toBuffer({ resolveWithObject: true });
  const bytes = await sharp(data)
    .composite([{ input: Buffer.from(captionSvg(info.width, info.height, prompt)) }])
    .png()
    .toBuffer();
  return { bytes, contentType: "image/png", width: info.width, height: info.height };
}

/** Image to video: an animated WebP that slowly zooms and drifts over the start image. */
export async function renderVideo(
  hash: Buffer,
  prompt: string,
  params: JobParams,
  start: Buffer,
): Promise<GenerationResult> {
  const frames = params.frames ?? 12;
  const fit = await sharp(start)
    .rotate()
    .resize({
      width: params.width ?? 512,
      height: params.height ?? 512,
      fit: "inside",
      withoutEnlargement: params.width === undefined && params.height === undefined,
    })
    .png()
    .toBuffer({ resolveWithObject: true });
  const width = fit.info.width - (fit.info.width % 2);
  const height = fit.info.height - (fit.info.height % 2);
  const base = await sharp(fit.data).extract({ left: 0, top: 0, width, height }).png().toBuffer();
  const [driftX, driftY] = [hash[2]! / 255 - 0.5, hash[3]! / 255 - 0.5];
  const caption = Buffer.from(captionSvg(width, height, prompt));
  const rendered: Buffer[] = [];
  for (let i = 0; i < frames; i++) {
    const t = i / (frames - 1);
    const zoom = 1 + 0.3 * t;
    const cw = Math.max(1, Math.round(width / zoom));
    const ch = Math.max(1, Math.round(height / zoom));
    const left = Math.round((width - cw) * (0.5 + driftX * t));
    const top = Math.round((height - ch) * (0.5 + driftY * t));
    const bar = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
        `<rect x="0" y="0" width="${Math.max(1, Math.round((width * (i + 1)) / frames))}" height="4" fill="#fff"/></svg>`,
    );
    rendered.push(
      await sharp(base)
        .extract({ left, top, width: cw, height: ch })
        .resize(width, height)
        .composite([{ input: caption }, { input: bar }])
        .png({ compressionLevel: 0 })
        .toBuffer(),
    );
  }
  const bytes = await sharp(rendered, { join: { animated: true } })
    .webp({ loop: 0, delay: Array.from({ length: frames }, () => 100), quality: 75, effort: 1 })
    .toBuffer();
  return { bytes, contentType: "image/webp", width, height };
}
