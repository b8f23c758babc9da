// How the sqlite3 shell prints one value in list mode.
import { Buffer } from "node:buffer";

/** Formats a column value: integers exactly (BigInt), REALs as `%!.15g`, blobs as raw bytes. */
export function formatValue(value, nullValue) {
  if (value === null) return nullValue;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return formatReal(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("latin1");
  return String(value);
}

/** C's `%!.15g` as SQLite's printf does it: 15 significant digits, and always a `.0` on integers. */
export function formatReal(x) {
  if (Number.isNaN(x)) return "";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0.0";
  const [mantissa, exponentText] = x.toExponential(14).split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 15) {
    const digits = withPoint(trimZeros(mantissa));
    const sign = exponent < 0 ? "-" : "+";
    return `${digits}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return withPoint(trimZeros(x.toFixed(14 - exponent)));
}

function trimZeros(text) {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

function withPoint(text) {
  return text.includes(".") ? text : `${text}.0`;
}
