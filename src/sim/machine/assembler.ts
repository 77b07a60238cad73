/**
 * A two-pass text assembler for the VL32 instruction set (see `isa.ts`).
 *
 * Syntax, one statement per line:
 *
 * ```text
 * ; comments start with ';' (or '//') and run to the end of the line
 * .equ COUNT, 10          ; a named constant
 * start:                  ; a label (any number per line, before the statement)
 *     li   r1, message    ; pseudo-instruction: movi, or lui + ori for wide values/labels
 *     ldb  r2, [r1+0]     ; memory operands: [reg], [reg+expr], [reg-expr], [expr] (= [r0+expr])
 *     beq  r2, r0, done   ; branch targets are labels or absolute addresses
 *     out  CONSOLE_DATA, r2
 *     addi r1, r1, 1
 *     jmp  start
 * done: halt
 * message: .asciz "hi\n"
 * ```
 *
 * Directives: `.org addr`, `.align bytes`, `.word expr, ...`, `.ascii "s"`, `.asciz "s"`,
 * `.space bytes`, `.equ name, expr`. Expressions use numbers (decimal, 0x, 0b, 'c'), symbols,
 * `+ - * / % & | ^ << >> ~`, parentheses and `hi(x)`/`lo(x)` (upper/lower 16 bits).
 * Predefined symbols: the {@link Port} names, `CAUSE_*`, `STATUS_*`, `PTE_*`, `PAGE_SIZE`.
 * Registers: r0–r15, `zero` (r0), `fp` (r14), `sp` (r15). Control registers by name
 * (`status`, `ptbr`, ...) or number.
 *
 * Errors are {@link SimError}s with code `ASSEMBLY_ERROR` and a `line` and `column` (1-based).
 * @module
 */
import { SimError } from '../common/errors.ts';
import {
  Cause,
  CONTROL_REGISTER_NAMES,
  instructionByMnemonic,
  PAGE_SIZE,
  Port,
  Pte,
  Status,
  type InstructionSpec,
} from './isa.ts';

/** The result of assembling a source text. */
export interface Program {
  /** Address of the first word. */
  readonly origin: number;
  /** The assembled words, from `origin` upwards (gaps left by `.org` are zero). */
  readonly words: Uint32Array;
  /** Labels and `.equ` constants with their values. */
  readonly symbols: ReadonlyMap<string, number>;
  /** 1-based source line of each word (0 for gap filler). */
  readonly lines: Int32Array;
  /** Where to start executing: the label `start` if defined, otherwise `origin`. */
  readonly entry: number;
}

/** An assembly error with the position of the mistake. */
export class AssemblyError extends SimError {
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column number. */
  readonly column: number;

  constructor(line: number, column: number, message: string) {
    super('ASSEMBLY_ERROR', `line ${line}, column ${column}: ${message}`);
    this.name = 'AssemblyError';
    this.line = line;
    this.column = column;
  }
}

/** Options for {@link assemble}. */
export interface AssembleOptions {
  /** Address of the first word unless the source starts with `.org` (default 0). */
  origin?: number;
  /** Extra predefined constants, e.g. workload parameters. */
  defines?: Readonly<Record<string, number>>;
}

const PREDEFINED: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  for (const [name, value] of Object.entries(Port)) map.set(name, value);
  for (const [name, value] of Object.entries(Cause)) map.set(`CAUSE_${name}`, value);
  for (const [name, value] of Object.entries(Status)) map.set(`STATUS_${name}`, value);
  map.set('PTE_PRESENT', Pte.PRESENT);
  map.set('PTE_WRITABLE', Pte.WRITABLE);
  map.set('PTE_USER', Pte.USER);
  map.set('PAGE_SIZE', PAGE_SIZE);
  return map;
})();

const REGISTER_ALIASES: ReadonlyMap<string, number> = new Map([
  ['zero', 0],
  ['fp', 14],
  ['sp', 15],
]);

/** A piece of a line with its 1-based column. */
interface Piece {
  text: string;
  column: number;
}

interface Statement {
  line: number;
  /** mnemonic or directive, lower case, with its column. */
  op: Piece;
  operands: Piece[];
  address: number;
  /** Words this statement occupies (decided in pass 1). */
  size: number;
}

/** Removes a comment, honouring quotes. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote !== null) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ';' || (ch === '/' && line[i + 1] === '/')) return line.slice(0, i);
  }
  return line;
}

/** Splits operands at top-level commas, keeping columns. */
function splitOperands(text: string, startColumn: number, line: number): Piece[] {
  const pieces: Piece[] = [];
  let depth = 0;
  let quote: string | null = null;
  let quoteAt = 0;
  let begin = 0;
  const push = (end: number): void => {
    const raw = text.slice(begin, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed === '') throw new AssemblyError(line, startColumn + begin, 'empty operand: remove the extra comma or add the missing value');
    pieces.push({ text: trimmed, column: startColumn + begin + lead });
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote !== null) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      quoteAt = i;
    } else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      push(i);
      begin = i + 1;
    }
  }
  if (quote !== null) throw new AssemblyError(line, startColumn + quoteAt, `unterminated quote: close it with ${quote}`);
  if (text.trim() !== '') push(text.length);
  return pieces;
}

const IDENTIFIER = /^[A-Za-z_.$][A-Za-z0-9_.$]*$/;

/** Parses and evaluates expressions; unknown symbols throw, or return undefined when allowed. */
class ExpressionParser {
  #text = '';
  #pos = 0;
  #line = 0;
  #column = 0;
  #lookup: (name: string) => number | undefined;
  #unknown = false;
  #unknownAt = 0;
  #unknownName = '';

  constructor(lookup: (name: string) => number | undefined) {
    this.#lookup = lookup;
  }

  /** Evaluates `piece`; returns undefined if it names a symbol not (yet) defined and `lenient`. */
  evaluate(piece: Piece, line: number, lenient: boolean): number | undefined {
    this.#text = piece.text;
    this.#pos = 0;
    this.#line = line;
    this.#column = piece.column;
    this.#unknown = false;
    const value = this.#bitOr();
    this.#skipSpace();
    if (this.#pos < this.#text.length) this.#fail(`unexpected "${this.#text.slice(this.#pos)}" in expression`);
    if (this.#unknown) {
      if (lenient) return undefined;
      this.#fail(`unknown symbol "${this.#unknownName}": define it as a label or with .equ`, this.#unknownAt);
    }
    return value;
  }

  #fail(message: string, at = this.#pos): never {
    throw new AssemblyError(this.#line, this.#column + at, message);
  }

  #skipSpace(): void {
    while (this.#pos < this.#text.length && /\s/.test(this.#text[this.#pos] as string)) this.#pos++;
  }

  #peek(op: string): boolean {
    this.#skipSpace();
    return this.#text.startsWith(op, this.#pos);
  }

  #binary(next: () => number, ops: readonly string[], apply: (op: string, a: number, b: number, at: number) => number): number {
    let value = next();
    for (;;) {
      const op = ops.find((candidate) => this.#peek(candidate) && !(candidate === '|' && this.#peek('||')));
      if (op === undefined) return value;
      const at = this.#pos;
      this.#pos += op.length;
      value = apply(op, value, next(), at);
    }
  }

  #bitOr = (): number => this.#binary(this.#bitXor, ['|'], (_op, a, b) => a | b);
  #bitXor = (): number => this.#binary(this.#bitAnd, ['^'], (_op, a, b) => a ^ b);
  #bitAnd = (): number => this.#binary(this.#shift, ['&'], (_op, a, b) => a & b);
  #shift = (): number => this.#binary(this.#sum, ['<<', '>>'], (op, a, b) => (op === '<<' ? a << b : a >>> b));
  #sum = (): number => this.#binary(this.#product, ['+', '-'], (op, a, b) => (op === '+' ? a + b : a - b));
  #product = (): number =>
    this.#binary(this.#unary, ['*', '/', '%'], (op, a, b, at) => {
      if (op === '*') return Math.imul(a, b);
      if (b === 0) {
        if (this.#unknown) return 0;
        this.#fail('division by zero in expression', at);
      }
      return op === '/' ? Math.trunc(a / b) : a % b;
    });

  #unary = (): number => {
    this.#skipSpace();
    const ch = this.#text[this.#pos];
    if (ch === '-') {
      this.#pos++;
      return -this.#unary();
    }
    if (ch === '+') {
      this.#pos++;
      return this.#unary();
    }
    if (ch === '~') {
      this.#pos++;
      return ~this.#unary();
    }
    return this.#primary();
  };

  #primary(): number {
    this.#skipSpace();
    const rest = this.#text.slice(this.#pos);
    if (rest.startsWith('(')) {
      this.#pos++;
      const value = this.#bitOr();
      if (!this.#peek(')')) this.#fail('missing ")"');
      this.#pos++;
      return value;
    }
    if (rest.startsWith("'")) {
      const match = /^'(\\x[0-9a-fA-F]{2}|\\.|[^\\'])'/.exec(rest);
      if (match === null) this.#fail('bad character literal: write e.g. \'a\' or \'\\n\'');
      this.#pos += match[0].length;
      return unescapeChar(match[1] as string);
    }
    const number = /^(0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*)/.exec(rest);
    if (number !== null) {
      if (/^[0-9][0-9_]*[A-Za-z]/.test(rest) && !/^0[xb]/i.test(rest)) this.#fail(`bad number "${/^\w+/.exec(rest)?.[0]}"`);
      this.#pos += number[0].length;
      const digits = (number[0] as string).replaceAll('_', '');
      return digits.startsWith('0b') ? parseInt(digits.slice(2), 2) : Number(digits);
    }
    const ident = /^[A-Za-z_.$][A-Za-z0-9_.$]*/.exec(rest);
    if (ident !== null) {
      const name = ident[0];
      const at = this.#pos;
      this.#pos += name.length;
      if ((name === 'hi' || name === 'lo') && this.#peek('(')) {
        this.#pos++;
        const inner = this.#bitOr();
        if (!this.#peek(')')) this.#fail('missing ")"');
        this.#pos++;
        return name === 'hi' ? (inner >>> 16) & 0xffff : inner & 0xffff;
      }
      if (/^(r\d+|zero|sp|fp)$/i.test(name)) this.#fail(`register ${name} cannot be used as a value here`, at);
      const value = this.#lookup(name);
      if (value === undefined) {
        if (!this.#unknown) {
          this.#unknownAt = at;
          this.#unknownName = name;
        }
        this.#unknown = true;
        return 0;
      }
      return value;
    }
    if (rest === '') this.#fail('missing value');
    return this.#fail(`unexpected "${rest[0]}" in expression`);
  }
}

function unescapeChar(text: string): number {
  if (!text.startsWith('\\')) return text.codePointAt(0) as number;
  const code = text[1] as string;
  switch (code) {
    case 'n':
      return 10;
    case 't':
      return 9;
    case 'r':
      return 13;
    case '0':
      return 0;
    case 'x':
      return parseInt(text.slice(2), 16);
    default:
      return code.codePointAt(0) as number;
  }
}

/** Parses a quoted string literal into bytes (characters above 255 are rejected). */
function parseString(piece: Piece, line: number): number[] {
  const text = piece.text;
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) {
    throw new AssemblyError(line, piece.column, 'expected a string in double quotes');
  }
  const bytes: number[] = [];
  for (let i = 1; i < text.length - 1; i++) {
    let ch = text[i] as string;
    if (ch === '\\') {
      const esc = text[i + 1] ?? '';
      if (esc === 'x') {
        const hex = text.slice(i + 2, i + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new AssemblyError(line, piece.column + i, 'bad \\x escape: use two hex digits');
        bytes.push(parseInt(hex, 16));
        i += 3;
        continue;
      }
      ch = text.slice(i, i + 2);
      i++;
      bytes.push(unescapeChar(ch));
      continue;
    }
    const code = ch.codePointAt(0) as number;
    if (code > 255) throw new AssemblyError(line, piece.column + i, `character "${ch}" is not a single byte`);
    bytes.push(code);
  }
  return bytes;
}

function parseRegister(piece: Piece, line: number): number {
  const text = piece.text.toLowerCase();
  const alias = REGISTER_ALIASES.get(text);
  if (alias !== undefined) return alias;
  const match = /^r(\d+)$/.exec(text);
  if (match !== null) {
    const n = Number(match[1]);
    if (n <= 15) return n;
  }
  throw new AssemblyError(line, piece.column, `expected a register r0–r15 (or zero, fp, sp), got "${piece.text}"`);
}

function expectOperands(statement: Statement, count: number, usage: string): void {
  if (statement.operands.length !== count) {
    const at = statement.operands[count]?.column ?? statement.op.column;
    throw new AssemblyError(statement.line, at, `${statement.op.text} takes ${count} operand${count === 1 ? '' : 's'}: ${usage}`);
  }
}

const FORM_USAGE: Readonly<Record<string, string>> = {
  none: '',
  rd: 'rd',
  'rd,imm': 'rd, value',
  'imm,rd': 'value, rd',
  'rd,rs': 'rd, rs',
  'rd,rs,rt': 'rd, rs, rt',
  'rd,rs,imm': 'rd, rs, value',
  'rd,[rs+imm]': 'rd, [rs+offset]',
  'rd,rs,target': 'rd, rs, label',
  target: 'label',
  imm: 'value',
};

/**
 * Assembles VL32 source text into words.
 * @throws AssemblyError (a SimError with code ASSEMBLY_ERROR) naming the line and column.
 */
export function assemble(source: string, options: AssembleOptions = {}): Program {
  if (typeof source !== 'string') throw new SimError('INVALID_ARGUMENT', 'assemble(source): source must be a string of assembly text');
  const origin = options.origin ?? 0;
  if (!Number.isInteger(origin) || origin < 0 || origin % 4 !== 0) {
    throw new SimError('INVALID_ARGUMENT', `assemble: origin must be a non-negative multiple of 4, got ${origin}`);
  }
  const symbols = new Map<string, number>();
  const defines = new Map<string, number>(Object.entries(options.defines ?? {}));
  const lookup = (name: string): number | undefined => symbols.get(name) ?? defines.get(name) ?? PREDEFINED.get(name);
  const parser = new ExpressionParser(lookup);
  const statements: Statement[] = [];
  const deferredEqus: { statement: Statement; name: string }[] = [];

  // Pass 1: parse lines, assign addresses, collect labels.
  let location = origin;
  let firstOrigin: number | undefined;
  const lines = source.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    let text = stripComment(lines[index] as string);
    let offset = 0;
    // Labels.
    for (;;) {
      const match = /^(\s*)([A-Za-z_.$][A-Za-z0-9_.$]*)\s*:/.exec(text);
      if (match === null) break;
      const name = match[2] as string;
      const column = offset + (match[1] as string).length + 1;
      if (/^(r\d+|zero|sp|fp)$/i.test(name) || instructionByMnemonic(name) !== undefined) {
        throw new AssemblyError(lineNumber, column, `"${name}" is a register or mnemonic and cannot be a label`);
      }
      if (symbols.has(name)) throw new AssemblyError(lineNumber, column, `label "${name}" is defined twice`);
      symbols.set(name, location);
      offset += match[0].length;
      text = text.slice(match[0].length);
    }
    const lead = text.length - text.trimStart().length;
    const body = text.trim();
    if (body === '') continue;
    const opMatch = /^\S+/.exec(body) as RegExpExecArray;
    const opText = opMatch[0];
    const opColumn = offset + lead + 1;
    const operandText = body.slice(opText.length);
    const operands = splitOperands(operandText, opColumn + opText.length, lineNumber);
    const statement: Statement = {
      line: lineNumber,
      op: { text: opText.toLowerCase(), column: opColumn },
      operands,
      address: location,
      size: 0,
    };
    const op = statement.op.text;
    if (op.startsWith('.')) {
      switch (op) {
        case '.org': {
          expectOperands(statement, 1, '.org address');
          const target = parser.evaluate(operands[0] as Piece, lineNumber, false) as number;
          if (target % 4 !== 0 || target < location) {
            throw new AssemblyError(lineNumber, (operands[0] as Piece).column, `.org ${target} must be a multiple of 4 and not below the current address ${location}`);
          }
          if (statements.every((s) => s.size === 0) && firstOrigin === undefined && location === origin) firstOrigin = target;
          statement.size = (target - location) / 4;
          break;
        }
        case '.align': {
          expectOperands(statement, 1, '.align bytes');
          const align = parser.evaluate(operands[0] as Piece, lineNumber, false) as number;
          if (align <= 0 || align % 4 !== 0) throw new AssemblyError(lineNumber, (operands[0] as Piece).column, '.align needs a positive multiple of 4');
          statement.size = ((align - (location % align)) % align) / 4;
          break;
        }
        case '.word':
          if (operands.length === 0) throw new AssemblyError(lineNumber, opColumn, '.word needs at least one value');
          statement.size = operands.length;
          break;
        case '.ascii':
        case '.asciz': {
          expectOperands(statement, 1, `${op} "text"`);
          const bytes = parseString(operands[0] as Piece, lineNumber).length + (op === '.asciz' ? 1 : 0);
          statement.size = Math.ceil(bytes / 4);
          break;
        }
        case '.space': {
          expectOperands(statement, 1, '.space bytes');
          const bytes = parser.evaluate(operands[0] as Piece, lineNumber, false) as number;
          if (bytes < 0) throw new AssemblyError(lineNumber, (operands[0] as Piece).column, '.space needs a non-negative size');
          statement.size = Math.ceil(bytes / 4);
          break;
        }
        case '.equ': {
          expectOperands(statement, 2, '.equ NAME, value');
          const name = (operands[0] as Piece).text;
          if (!IDENTIFIER.test(name)) throw new AssemblyError(lineNumber, (operands[0] as Piece).column, `"${name}" is not a valid name`);
          if (symbols.has(name)) throw new AssemblyError(lineNumber, (operands[0] as Piece).column, `"${name}" is defined twice`);
          const value = parser.evaluate(operands[1] as Piece, lineNumber, true);
          if (value === undefined) deferredEqus.push({ statement, name });
          else symbols.set(name, value);
          break;
        }
        default:
          throw new AssemblyError(lineNumber, opColumn, `unknown directive "${opText}": use .org, .align, .word, .ascii, .asciz, .space or .equ`);
      }
    } else if (op === 'li' || op === 'la') {
      expectOperands(statement, 2, `${op} rd, value`);
      parseRegister(operands[0] as Piece, lineNumber);
      const value = parser.evaluate(operands[1] as Piece, lineNumber, true);
      statement.size = value !== undefined && value >= -0x8000 && value <= 0x7fff ? 1 : 2;
    } else {
      const row = instructionByMnemonic(op);
      if (row === undefined) throw new AssemblyError(lineNumber, opColumn, `unknown instruction "${opText}"`);
      statement.size = 1;
    }
    statements.push(statement);
    location += statement.size * 4;
    if (location > 0xffffffff) throw new AssemblyError(lineNumber, opColumn, 'program runs past the end of the 32-bit address space');
  }
  for (const { statement, name } of deferredEqus) {
    symbols.set(name, parser.evaluate(statement.operands[1] as Piece, statement.line, false) as number);
  }

  // Pass 2: emit words.
  const start = firstOrigin ?? origin;
  const total = (location - start) / 4;
  const words = new Uint32Array(total);
  const lineOf = new Int32Array(total);
  const emit = (address: number, word: number, line: number): void => {
    const index = (address - start) / 4;
    words[index] = word >>> 0;
    lineOf[index] = line;
  };
  const value = (piece: Piece, line: number): number => parser.evaluate(piece, line, false) as number;
  for (const statement of statements) {
    const { line, operands, address } = statement;
    const op = statement.op.text;
    switch (op) {
      case '.org':
      case '.align':
      case '.equ':
      case '.space':
        break;
      case '.word':
        operands.forEach((piece, i) => {
          const v = value(piece, line);
          if (v < -0x80000000 || v > 0xffffffff) throw new AssemblyError(line, piece.column, `${v} does not fit in a 32-bit word`);
          emit(address + i * 4, v, line);
        });
        break;
      case '.ascii':
      case '.asciz': {
        const bytes = parseString(operands[0] as Piece, line);
        if (op === '.asciz') bytes.push(0);
        for (let i = 0; i < bytes.length; i += 4) {
          const word = (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24);
          emit(address + i, word, line);
        }
        break;
      }
      case 'li':
      case 'la': {
        const rd = parseRegister(operands[0] as Piece, line);
        const v = value(operands[1] as Piece, line);
        if (v < -0x80000000 || v > 0xffffffff) throw new AssemblyError(line, (operands[1] as Piece).column, `${v} does not fit in 32 bits`);
        if (statement.size === 1) emit(address, encodeChecked('movi', instructionByMnemonic('movi') as InstructionSpec, rd, 0, v, operands[1] as Piece, line), line);
        else {
          emit(address, encodeChecked('lui', instructionByMnemonic('lui') as InstructionSpec, rd, 0, (v >>> 16) & 0xffff, operands[1] as Piece, line), line);
          emit(address + 4, encodeChecked('ori', instructionByMnemonic('ori') as InstructionSpec, rd, rd, v & 0xffff, operands[1] as Piece, line), line);
        }
        break;
      }
      default:
        emit(address, encodeStatement(statement, parser), line);
    }
  }
  const entry = symbols.get('start') ?? start;
  return Object.freeze({ origin: start, words, symbols, lines: lineOf, entry });
}

function encodeChecked(mnemonic: string, row: InstructionSpec, rd: number, rs: number, imm: number, piece: Piece, line: number): number {
  if (row.signedImmediate ? imm < -0x8000 || imm > 0x7fff : imm < 0 || imm > 0xffff) {
    const range = row.signedImmediate ? '−32768…32767' : '0…65535';
    throw new AssemblyError(line, piece.column, `${mnemonic}: value ${imm} does not fit in 16 bits (${range}); use li for wide values`);
  }
  return ((row.opcode << 24) | (rd << 20) | (rs << 16) | (imm & 0xffff)) >>> 0;
}

function parseControlRegister(piece: Piece, line: number, parser: ExpressionParser): number {
  const index = CONTROL_REGISTER_NAMES.indexOf(piece.text.toLowerCase() as never);
  if (index >= 0) return index;
  const cr = /^cr(\d+)$/i.exec(piece.text);
  const n = cr !== null ? Number(cr[1]) : (parser.evaluate(piece, line, false) as number);
  if (n < 0 || n >= CONTROL_REGISTER_NAMES.length) {
    throw new AssemblyError(line, piece.column, `unknown control register "${piece.text}": use ${CONTROL_REGISTER_NAMES.join(', ')}`);
  }
  return n;
}

function encodeStatement(statement: Statement, parser: ExpressionParser): number {
  const { line, operands, address } = statement;
  const mnemonic = statement.op.text;
  const row = instructionByMnemonic(mnemonic) as InstructionSpec;
  const usage = `${mnemonic} ${FORM_USAGE[row.form]}`.trim();
  const value = (piece: Piece): number => parser.evaluate(piece, line, false) as number;
  const isControl = mnemonic === 'mfcr' || mnemonic === 'mtcr';
  const op = row.opcode << 24;
  switch (row.form) {
    case 'none':
      expectOperands(statement, 0, usage);
      return op >>> 0;
    case 'rd':
      expectOperands(statement, 1, usage);
      return (op | (parseRegister(operands[0] as Piece, line) << 20)) >>> 0;
    case 'rd,imm': {
      expectOperands(statement, 2, usage);
      const rd = parseRegister(operands[0] as Piece, line);
      const piece = operands[1] as Piece;
      const imm = isControl ? parseControlRegister(piece, line, parser) : value(piece);
      return encodeChecked(mnemonic, row, rd, 0, imm, piece, line);
    }
    case 'imm,rd': {
      expectOperands(statement, 2, usage);
      const piece = operands[0] as Piece;
      const imm = isControl ? parseControlRegister(piece, line, parser) : value(piece);
      const rd = parseRegister(operands[1] as Piece, line);
      return encodeChecked(mnemonic, row, rd, 0, imm, piece, line);
    }
    case 'rd,rs':
      expectOperands(statement, 2, usage);
      return (op | (parseRegister(operands[0] as Piece, line) << 20) | (parseRegister(operands[1] as Piece, line) << 16)) >>> 0;
    case 'rd,rs,rt':
      expectOperands(statement, 3, usage);
      return (
        (op |
          (parseRegister(operands[0] as Piece, line) << 20) |
          (parseRegister(operands[1] as Piece, line) << 16) |
          parseRegister(operands[2] as Piece, line)) >>>
        0
      );
    case 'rd,rs,imm': {
      expectOperands(statement, 3, usage);
      const rd = parseRegister(operands[0] as Piece, line);
      const rs = parseRegister(operands[1] as Piece, line);
      return encodeChecked(mnemonic, row, rd, rs, value(operands[2] as Piece), operands[2] as Piece, line);
    }
    case 'rd,[rs+imm]': {
      expectOperands(statement, 2, usage);
      const rd = parseRegister(operands[0] as Piece, line);
      const piece = operands[1] as Piece;
      const match = /^\[\s*(.*?)\s*\]$/.exec(piece.text);
      if (match === null) throw new AssemblyError(line, piece.column, `expected a memory operand like [r2+8]: ${usage}`);
      const inner = match[1] as string;
      const innerColumn = piece.column + piece.text.indexOf(inner);
      const regMatch = /^(r\d+|zero|sp|fp)\b\s*(.*)$/i.exec(inner);
      let rs = 0;
      let imm = 0;
      if (regMatch !== null) {
        rs = parseRegister({ text: regMatch[1] as string, column: innerColumn }, line);
        const rest = (regMatch[2] as string).trim();
        if (rest !== '') {
          if (!rest.startsWith('+') && !rest.startsWith('-')) throw new AssemblyError(line, innerColumn + inner.indexOf(rest), 'expected + or - after the base register');
          imm = value({ text: rest.startsWith('+') ? rest.slice(1) : rest, column: innerColumn + inner.indexOf(rest) + (rest.startsWith('+') ? 1 : 0) });
        }
      } else {
        imm = value({ text: inner, column: innerColumn });
      }
      return encodeChecked(mnemonic, row, rd, rs, imm, piece, line);
    }
    case 'rd,rs,target': {
      expectOperands(statement, 3, usage);
      const rd = parseRegister(operands[0] as Piece, line);
      const rs = parseRegister(operands[1] as Piece, line);
      const piece = operands[2] as Piece;
      const offset = wordOffset(value(piece), address, piece, line);
      if (offset < -0x8000 || offset > 0x7fff) throw new AssemblyError(line, piece.column, 'branch target is too far (more than 32767 words): branch over a jmp instead');
      return (op | (rd << 20) | (rs << 16) | (offset & 0xffff)) >>> 0;
    }
    case 'target': {
      expectOperands(statement, 1, usage);
      const piece = operands[0] as Piece;
      const offset = wordOffset(value(piece), address, piece, line);
      if (offset < -0x800000 || offset > 0x7fffff) throw new AssemblyError(line, piece.column, 'jump target is too far (more than 2^23 words): use li and jr');
      return (op | (offset & 0xffffff)) >>> 0;
    }
    case 'imm':
      expectOperands(statement, 1, usage);
      return encodeChecked(mnemonic, row, 0, 0, value(operands[0] as Piece), operands[0] as Piece, line);
  }
}

function wordOffset(target: number, address: number, piece: Piece, line: number): number {
  const delta = (target - (address + 4)) | 0;
  if (delta % 4 !== 0) throw new AssemblyError(line, piece.column, `jump target ${target} is not a multiple of 4`);
  return delta / 4;
}
