/* SPDX-License-Identifier: MIT */
/*
 * scenario_parse.c - reading a scenario file (.scn) into steps, the
 * variables ($name) and the expression evaluator, and turning a call step
 * into a decoded call (struct sim_call) through the strace parser.
 *
 * DOC: What is checked before a scenario runs
 *
 * The whole file is parsed before its first step runs, so a malformed
 * file fails as "FILE:LINE: what is wrong" without running anything:
 * unknown directives and calls, unbalanced parentheses, arguments strace
 * syntax cannot express, unknown errno names, variables used before they
 * are bound (binding is linear: no loops, no branches), bad expect lines,
 * windows that are not page aligned.  A call step is checked by decoding
 * it once with made-up values for the variables only the run knows.
 *
 * DOC: Expressions
 *
 *   sum    := term { ('+' | '-') term }
 *   term   := factor { '*' factor }
 *   factor := NUMBER | '$' NAME | '(' sum ')'
 *
 * Arithmetic is unsigned 64-bit and wraps.  NUMBER is 0x-prefixed hex or
 * decimal in calls and directives (as strace prints numbers), and always
 * hex, 0x optional, in expect lines (as /proc/PID/maps prints them).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"
#include "strace.h"

#define SCN_PAGE	4096UL
#define EVAL_MAX_DEPTH	32

/* A value for variables only the run knows, when a file is checked. */
#define SCN_DUMMY	0x1000UL
#define SCN_DUMMY_PATH	"/dev/null"

/* ---- variables -------------------------------------------------------- */

/**
 * scn_var_find - look a variable up.
 * @vars: the variables
 * @name: its name, without '$'
 *
 * Context: any.
 * Return: the variable, or NULL if it is not bound.
 */
struct scn_var *scn_var_find(const struct scn_vars *vars, const char *name)
{
	size_t i;

	for (i = 0; i < vars->nr; i++)
		if (!strcmp(vars->v[i].name, name))
			return &vars->v[i];
	return NULL;
}

/**
 * scn_var_set - bind (or rebind) a variable.
 * @vars: the variables
 * @name: its name, without '$' (shorter than SCN_NAME_LEN)
 * @value: its value
 * @path: the file it names, copied; NULL for none
 * @is_file: see struct scn_var
 * @dynamic: see struct scn_var
 *
 * Context: allocates.
 * Return: 0, or -ENOMEM.
 */
int scn_var_set(struct scn_vars *vars, const char *name, unsigned long value,
		const char *path, bool is_file, bool dynamic)
{
	struct scn_var *v = scn_var_find(vars, name);
	char *copy = NULL;

	if (path) {
		copy = strdup(path);
		if (!copy)
			return -ENOMEM;
	}
	if (!v) {
		if (vars->nr == vars->cap) {
			size_t cap = vars->cap ? 2 * vars->cap : 16;
			struct scn_var *nv = realloc(vars->v, cap * sizeof(*nv));

			if (!nv) {
				free(copy);
				return -ENOMEM;
			}
			vars->v = nv;
			vars->cap = cap;
		}
		v = &vars->v[vars->nr++];
		memset(v, 0, sizeof(*v));
		snprintf(v->name, sizeof(v->name), "%s", name);
	}
	free(v->path);
	v->path = copy;
	v->value = value;
	v->is_file = is_file;
	v->dynamic = dynamic;
	return 0;
}

/**
 * scn_vars_release - forget every variable.
 * @vars: the variables; empty afterwards
 *
 * Context: frees.
 */
void scn_vars_release(struct scn_vars *vars)
{
	size_t i;

	for (i = 0; i < vars->nr; i++)
		free(vars->v[i].path);
	free(vars->v);
	memset(vars, 0, sizeof(*vars));
}

/* ---- expressions -------------------------------------------------------- */

struct eval_state {
	const char *p;
	enum scn_radix radix;
	const struct scn_vars *vars;
	bool static_only;
	int depth;
	char *err;
	size_t errlen;
};

static int eval_fail(struct eval_state *es, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int eval_fail(struct eval_state *es, const char *fmt, ...)
{
	va_list ap;

	if (es->errlen) {
		va_start(ap, fmt);
		vsnprintf(es->err, es->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static void eval_blanks(struct eval_state *es)
{
	while (*es->p == ' ' || *es->p == '\t')
		es->p++;
}

static bool is_ident_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Length of the identifier at @s (0 if there is none). */
static size_t ident_len(const char *s)
{
	size_t n = 0;

	if (!is_ident_start(*s))
		return 0;
	while (is_ident(s[n]))
		n++;
	return n;
}

static int eval_number(struct eval_state *es, unsigned long *val)
{
	const char *s = es->p, *start = es->p;
	bool hex = es->radix == SCN_HEX;
	unsigned long v = 0;
	int d, n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		hex = true;
		s += 2;
	}
	for (;; s++, n++) {
		if (hex && isxdigit((unsigned char)*s)) {
			d = isdigit((unsigned char)*s) ? *s - '0' :
			    tolower((unsigned char)*s) - 'a' + 10;
			if (v >> 60)
				return eval_fail(es, "number too large at '%s'", start);
			v = v << 4 | (unsigned long)d;
		} else if (!hex && isdigit((unsigned char)*s)) {
			d = *s - '0';
			if (v > (~0UL - (unsigned long)d) / 10)
				return eval_fail(es, "number too large at '%s'", start);
			v = v * 10 + (unsigned long)d;
		} else {
			break;
		}
	}
	if (!n || is_ident(*s))
		return eval_fail(es, "bad number at '%s'", start);
	es->p = s;
	*val = v;
	return 0;
}

static int eval_sum(struct eval_state *es, unsigned long *val);

static int eval_factor(struct eval_state *es, unsigned long *val)
{
	char name[SCN_NAME_LEN];
	const struct scn_var *v;
	size_t n;
	int ret;

	eval_blanks(es);
	if (*es->p == '(') {
		if (++es->depth > EVAL_MAX_DEPTH)
			return eval_fail(es, "parentheses nested too deep");
		es->p++;
		ret = eval_sum(es, val);
		if (ret)
			return ret;
		eval_blanks(es);
		if (*es->p != ')')
			return eval_fail(es, "missing ')'");
		es->p++;
		es->depth--;
		return 0;
	}
	if (*es->p == '$') {
		n = ident_len(es->p + 1);
		if (!n)
			return eval_fail(es, "'$' without a name");
		if (n >= sizeof(name))
			return eval_fail(es, "name too long: '%.*s'", (int)n + 1,
					 es->p);
		memcpy(name, es->p + 1, n);
		name[n] = '\0';
		v = scn_var_find(es->vars, name);
		if (!v)
			return eval_fail(es, "$%s is not bound", name);
		if (es->static_only && v->dynamic)
			return eval_fail(es,
					 "$%s is only known when the scenario runs",
					 name);
		es->p += n + 1;
		*val = v->value;
		return 0;
	}
	if (isdigit((unsigned char)*es->p) ||
	    (es->radix == SCN_HEX && isxdigit((unsigned char)*es->p)))
		return eval_number(es, val);
	if (!*es->p)
		return eval_fail(es, "expression ends too early");
	return eval_fail(es, "expected a number, $name or '(' at '%s'", es->p);
}

static int eval_term(struct eval_state *es, unsigned long *val)
{
	unsigned long rhs;
	int ret = eval_factor(es, val);

	while (!ret) {
		eval_blanks(es);
		if (*es->p != '*')
			break;
		es->p++;
		ret = eval_factor(es, &rhs);
		*val *= rhs;
	}
	return ret;
}

static int eval_sum(struct eval_state *es, unsigned long *val)
{
	unsigned long rhs;
	char op;
	int ret = eval_term(es, val);

	while (!ret) {
		eval_blanks(es);
		op = *es->p;
		if (op != '+' && op != '-')
			break;
		es->p++;
		ret = eval_term(es, &rhs);
		*val = op == '+' ? *val + rhs : *val - rhs;
	}
	return ret;
}

/**
 * scn_eval - evaluate an expression (see "Expressions" above).
 * @text: the expression, all of it (blanks allowed between tokens)
 * @radix: how numbers without 0x read
 * @vars: the variables
 * @static_only: refuse variables whose value only the run knows
 * @val: the value
 * @err: what is wrong, on failure
 * @errlen: size of @err
 *
 * Context: any.
 * Return: 0, or -EINVAL.
 */
int scn_eval(const char *text, enum scn_radix radix,
	     const struct scn_vars *vars, bool static_only,
	     unsigned long *val, char *err, size_t errlen)
{
	struct eval_state es = {
		.p = text, .radix = radix, .vars = vars,
		.static_only = static_only, .err = err, .errlen = errlen,
	};
	int ret;

	eval_blanks(&es);
	if (!*es.p)
		return eval_fail(&es, "empty expression");
	ret = eval_sum(&es, val);
	if (ret)
		return ret;
	eval_blanks(&es);
	if (*es.p)
		return eval_fail(&es, "unexpected '%s' in '%s'", es.p, text);
	return 0;
}

/* ---- errno names -------------------------------------------------------- */

/* The errno value of "ENOMEM", 0 if unknown. */
static int errno_value(const char *name)
{
	static const struct {
		const char *alias;
		int value;
	} aliases[] = {
		{ "EWOULDBLOCK", EAGAIN }, { "ENOTSUP", EOPNOTSUPP },
		{ "EDEADLOCK", EDEADLK },
	};
	const char *n;
	size_t i;
	int e;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(aliases[i].alias, name))
			return aliases[i].value;
	for (e = 1; e < 4096; e++) {
		n = strerrorname_np(e);
		if (n && !strcmp(n, name))
			return e;
	}
	return 0;
}

/**
 * scn_errno_name - the name of an errno value.
 * @err: a positive errno value
 *
 * Context: any.
 * Return: "ENOMEM", or NULL for a value without a name.
 */
const char *scn_errno_name(long err)
{
	if (err <= 0 || err >= 4096)
		return NULL;
	return strerrorname_np((int)err);
}

/* ---- lexing helpers ------------------------------------------------------ */

/*
 * Skip a "..." string starting at @s (which is '"'); return the character
 * after the closing quote, or NULL if it is not closed.
 */
static const char *skip_string(const char *s)
{
	for (s++; *s && *s != '"'; s++)
		if (*s == '\\' && !*++s)
			return NULL;
	return *s ? s + 1 : NULL;
}

/*
 * The character after the bracket that closes the one at @s ('(', '['
 * or '{'), skipping strings; NULL if it is not closed.
 */
static const char *skip_group(const char *s)
{
	char stack[64];
	int depth = 0;

	for (; *s; s++) {
		switch (*s) {
		case '"':
			s = skip_string(s);
			if (!s)
				return NULL;
			s--;
			break;
		case '(':
		case '[':
		case '{':
			if (depth == (int)sizeof(stack))
				return NULL;
			stack[depth++] = *s == '(' ? ')' : *s == '[' ? ']' : '}';
			break;
		case ')':
		case ']':
		case '}':
			if (!depth || stack[depth - 1] != *s)
				return NULL;
			if (!--depth)
				return s + 1;
			break;
		default:
			break;
		}
	}
	return NULL;
}

/* Cut a comment off @s: '#' outside a string, at the start or after a blank. */
static void strip_comment(char *s)
{
	char *p = s;

	while (*p) {
		if (*p == '"') {
			const char *e = skip_string(p);

			if (!e)
				return;
			p = (char *)e;
			continue;
		}
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
		p++;
	}
}

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Split @s in place into at most @max blank- (or comma-) separated words. */
static size_t split_words(char *s, char **words, size_t max, bool commas)
{
	size_t n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || (commas && *s == ','))
			s++;
		if (!*s)
			return n;
		if (n == max)
			return max + 1;
		words[n++] = s;
		while (*s && *s != ' ' && *s != '\t' && !(commas && *s == ','))
			s++;
		if (*s)
			*s++ = '\0';
	}
}

/* Is "$name" exactly @w?  Copies the name. */
static bool var_word(const char *w, char name[SCN_NAME_LEN])
{
	size_t n;

	if (w[0] != '$')
		return false;
	n = ident_len(w + 1);
	if (!n || w[1 + n] || n >= SCN_NAME_LEN)
		return false;
	memcpy(name, w + 1, n);
	name[n] = '\0';
	return true;
}

/* [r-][w-][x-][ps] */
static bool perms_word(const char *w, size_t n)
{
	return n == 4 && (w[0] == 'r' || w[0] == '-') &&
	       (w[1] == 'w' || w[1] == '-') && (w[2] == 'x' || w[2] == '-') &&
	       (w[3] == 'p' || w[3] == 's');
}

/* Does @s look like an expect line: "START-END PERMS ..."? */
static bool looks_like_expect(const char *s)
{
	const char *w0 = s, *w1;
	size_t n0, n1;

	while (*w0 == ' ' || *w0 == '\t')
		w0++;
	n0 = strcspn(w0, " \t");
	w1 = w0 + n0;
	while (*w1 == ' ' || *w1 == '\t')
		w1++;
	n1 = strcspn(w1, " \t");
	return n0 > 2 && memchr(w0 + 1, '-', n0 - 1) && perms_word(w1, n1);
}

/* ---- the parser -------------------------------------------------------- */

/**
 * struct parse_ctx - the state of one scn_parse().
 * @sf: the file being built
 * @vars: the variables as far as parsing knows them
 * @window: a window is in force (for empty expect blocks)
 * @lineno: the line being parsed
 * @err: where the message goes
 * @errlen: its size
 */
struct parse_ctx {
	struct scn_file *sf;
	struct scn_vars vars;
	bool window;
	unsigned long lineno;
	char *err;
	size_t errlen;
};

static int perr(struct parse_ctx *pc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct parse_ctx *pc, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(pc->err, pc->errlen, "%s:%lu: ", pc->sf->name, pc->lineno);
	if (n < 0 || (size_t)n >= pc->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(pc->err + n, pc->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static struct scn_step *new_step(struct parse_ctx *pc, enum scn_step_kind kind,
				 const char *text)
{
	struct scn_file *sf = pc->sf;
	struct scn_step *steps, *st;

	/* scenarios are short: one step more at a time is fine */
	steps = realloc(sf->steps, (sf->nr_steps + 1) * sizeof(*steps));
	if (!steps)
		return NULL;
	sf->steps = steps;
	st = &sf->steps[sf->nr_steps];
	memset(st, 0, sizeof(*st));
	st->text = strdup(text);
	if (!st->text)
		return NULL;
	st->kind = kind;
	st->lineno = pc->lineno;
	sf->nr_steps++;
	return st;
}

/* Check an expression of a directive or call: it must evaluate. */
static int check_expr(struct parse_ctx *pc, const char *what, const char *e,
		      enum scn_radix radix)
{
	char msg[256];
	unsigned long v;

	if (scn_eval(e, radix, &pc->vars, false, &v, msg, sizeof(msg)))
		return perr(pc, "%s: %s", what, msg);
	return 0;
}

static bool is_descriptor_call(enum call_nr nr)
{
	switch (nr) {
	case CALL_OPEN:
	case CALL_OPENAT:
	case CALL_CREAT:
	case CALL_DUP:
	case CALL_DUP2:
	case CALL_DUP3:
	case CALL_FCNTL:
	case CALL_MEMFD_CREATE:
		return true;
	default:
		return false;
	}
}

/* Calls a scenario may make: memory calls and the simple descriptor ones. */
static const char *unsupported_why(enum call_nr nr)
{
	if (nr == CALL_UNKNOWN)
		return "is not a call vmasim knows";
	if (call_class(nr) == CALL_CLASS_PROCESS)
		return "is not supported in scenarios (one process, no fork or exec)";
	switch (nr) {
	case CALL_SHMAT:
	case CALL_SHMDT:
		return "is not simulated (System V shared memory)";
	case CALL_OPENAT2:
	case CALL_CLOSE_RANGE:
		return "is not supported in scenarios";
	default:
		return NULL;
	}
}

/* "NAME(ARGS) [= RESULT]" at @s, for a step that may already bind "$x =". */
static int parse_call(struct parse_ctx *pc, struct scn_step *st, char *s)
{
	char name[STRACE_NAME_LEN], msg[512];
	const char *close, *why;
	struct scn_expected exp;
	struct sim_call *c;
	size_t n = ident_len(s);
	char *rest;
	bool file;
	int ret;

	if (!n || s[n] != '(')
		return perr(pc, "expected a call NAME(...), a directive or an expect line");
	if (n >= sizeof(name))
		return perr(pc, "call name too long");
	memcpy(name, s, n);
	name[n] = '\0';
	st->nr = call_lookup(name);
	why = unsupported_why(st->nr);
	if (why)
		return perr(pc, "%s %s", name, why);
	close = skip_group(s + n);
	if (!close)
		return perr(pc, "unbalanced parentheses or quotes");
	st->call = strndup(s, (size_t)(close - s));
	if (!st->call)
		return perr(pc, "out of memory");
	rest = trim((char *)close);
	if (*rest) {
		char rname[SCN_NAME_LEN];

		if (*rest != '=')
			return perr(pc, "unexpected '%s' after the call", rest);
		rest = trim(rest + 1);
		if (!*rest)
			return perr(pc, "nothing after '='");
		if (var_word(rest, rname) && !scn_var_find(&pc->vars, rname))
			memcpy(st->rbind, rname, sizeof(rname));
		st->result = strdup(rest);
		if (!st->result)
			return perr(pc, "out of memory");
	}

	c = malloc(sizeof(*c));
	if (!c)
		return perr(pc, "out of memory");
	ret = scn_decode_call(st, &pc->vars, c, &exp, msg, sizeof(msg));
	free(c);
	if (ret)
		return perr(pc, "%s", msg);

	file = is_descriptor_call(st->nr);
	if (st->bind[0] &&
	    scn_var_set(&pc->vars, st->bind, SCN_DUMMY, file ? SCN_DUMMY_PATH : NULL,
			file, true))
		return perr(pc, "out of memory");
	if (st->rbind[0] &&
	    scn_var_set(&pc->vars, st->rbind, SCN_DUMMY, file ? SCN_DUMMY_PATH : NULL,
			file, true))
		return perr(pc, "out of memory");
	return 0;
}

/* "$x = EXPR" or "$x = CALL(...)". */
static int parse_binding(struct parse_ctx *pc, char *line)
{
	char name[SCN_NAME_LEN], msg[256];
	struct scn_step *st;
	unsigned long v;
	size_t n = ident_len(line + 1);
	char *rhs;

	if (!n)
		return perr(pc, "'$' without a name");
	if (n >= sizeof(name))
		return perr(pc, "name too long");
	memcpy(name, line + 1, n);
	name[n] = '\0';
	rhs = trim(line + 1 + n);
	if (*rhs != '=')
		return perr(pc, "expected '$%s = ...'", name);
	rhs = trim(rhs + 1);
	if (!*rhs)
		return perr(pc, "nothing after '='");

	n = ident_len(rhs);
	if (n && rhs[n] == '(') {
		st = new_step(pc, SCN_STEP_CALL, line);
		if (!st)
			return perr(pc, "out of memory");
		memcpy(st->bind, name, sizeof(name));
		return parse_call(pc, st, rhs);
	}

	st = new_step(pc, SCN_STEP_SET, line);
	if (!st)
		return perr(pc, "out of memory");
	memcpy(st->bind, name, sizeof(name));
	st->e1 = strdup(rhs);
	if (!st->e1)
		return perr(pc, "out of memory");
	if (!scn_eval(rhs, SCN_DECIMAL, &pc->vars, true, &v, msg, sizeof(msg))) {
		if (scn_var_set(&pc->vars, name, v, NULL, false, false))
			return perr(pc, "out of memory");
		return 0;
	}
	if (check_expr(pc, "value", rhs, SCN_DECIMAL))
		return -EINVAL;
	if (scn_var_set(&pc->vars, name, SCN_DUMMY, NULL, false, true))
		return perr(pc, "out of memory");
	return 0;
}

static int parse_window(struct parse_ctx *pc, struct scn_step *st, char **w,
			size_t nw)
{
	unsigned long start, len;
	char msg[256];

	if (nw == 1 && !strcmp(w[0], "none")) {
		st->none = true;
		pc->window = false;
		return 0;
	}
	if (nw != 2)
		return perr(pc, "usage: window ADDR LEN, or window none");
	st->e1 = strdup(w[0]);
	st->e2 = strdup(w[1]);
	if (!st->e1 || !st->e2)
		return perr(pc, "out of memory");
	pc->window = true;
	if (scn_eval(w[0], SCN_DECIMAL, &pc->vars, true, &start, msg, sizeof(msg)) ||
	    scn_eval(w[1], SCN_DECIMAL, &pc->vars, true, &len, msg, sizeof(msg))) {
		/* known only when it runs ($b = brk(NULL)): not cleared */
		if (check_expr(pc, "window address", w[0], SCN_DECIMAL) ||
		    check_expr(pc, "window length", w[1], SCN_DECIMAL))
			return -EINVAL;
		return 0;
	}
	if (start % SCN_PAGE || len % SCN_PAGE || !len || start + len < start)
		return perr(pc, "window: %#lx+%#lx is not a page-aligned, non-empty range",
			    start, len);
	if (pc->sf->nr_windows == SCN_MAX_WINDOWS)
		return perr(pc, "more than %d windows", SCN_MAX_WINDOWS);
	pc->sf->windows[pc->sf->nr_windows][0] = start;
	pc->sf->windows[pc->sf->nr_windows][1] = start + len;
	pc->sf->nr_windows++;
	return 0;
}

/* A directive: window, file, touch.  Returns 1 if @line is none. */
static int parse_directive(struct parse_ctx *pc, char *line)
{
	char *copy, *w[4], name[SCN_NAME_LEN];
	struct scn_step *st;
	size_t nw, n = ident_len(line);
	enum scn_step_kind kind;
	int ret = 0;

	if (n == 6 && !strncmp(line, "window", 6))
		kind = SCN_STEP_WINDOW;
	else if (n == 4 && !strncmp(line, "file", 4))
		kind = SCN_STEP_FILE;
	else if (n == 5 && !strncmp(line, "touch", 5))
		kind = SCN_STEP_TOUCH;
	else
		return 1;
	if (line[n] && line[n] != ' ' && line[n] != '\t')
		return 1;

	st = new_step(pc, kind, line);
	copy = strdup(line + n);
	if (!st || !copy) {
		free(copy);
		return perr(pc, "out of memory");
	}
	nw = split_words(copy, w, 3, kind == SCN_STEP_TOUCH);
	switch (kind) {
	case SCN_STEP_WINDOW:
		ret = parse_window(pc, st, w, nw);
		break;
	case SCN_STEP_FILE:
		if (nw != 2 || !var_word(w[0], name)) {
			ret = perr(pc, "usage: file $NAME SIZE");
			break;
		}
		ret = check_expr(pc, "file size", w[1], SCN_DECIMAL);
		if (ret)
			break;
		memcpy(st->bind, name, sizeof(name));
		st->e1 = strdup(w[1]);
		if (!st->e1 || scn_var_set(&pc->vars, name, SCN_DUMMY,
					   SCN_DUMMY_PATH, true, true))
			ret = perr(pc, "out of memory");
		break;
	default:	/* touch */
		if (nw != 2) {
			ret = perr(pc, "usage: touch ADDR LEN");
			break;
		}
		ret = check_expr(pc, "touch address", w[0], SCN_DECIMAL);
		if (!ret)
			ret = check_expr(pc, "touch length", w[1], SCN_DECIMAL);
		if (ret)
			break;
		st->e1 = strdup(w[0]);
		st->e2 = strdup(w[1]);
		if (!st->e1 || !st->e2)
			ret = perr(pc, "out of memory");
		break;
	}
	free(copy);
	return ret;
}

/* The next blank-separated word of *@sp, NUL-terminated in place. */
static char *next_word(char **sp)
{
	char *s = *sp, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	w = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*sp = s;
	return w;
}

/* Is @w a path field: /path, [name], or $f of a file variable? */
static bool path_word(struct parse_ctx *pc, const char *w)
{
	char name[SCN_NAME_LEN];
	const struct scn_var *v;
	size_t n;

	if (w[0] == '/' || w[0] == '[')
		return true;
	if (w[0] != '$')
		return false;
	n = ident_len(w + 1);
	if (!n || n >= sizeof(name))
		return false;
	memcpy(name, w + 1, n);
	name[n] = '\0';
	v = scn_var_find(&pc->vars, name);
	return v && v->is_file;
}

/* "START-END PERMS [OFFSET [DEV INODE]] [PATH]" */
static int parse_expect_line(struct parse_ctx *pc, struct scn_step *st,
			     char *line)
{
	struct scn_expect_line *el, *lines;
	char *s = line, *range, *perms, *w, *dash;
	int depth = 0;

	lines = realloc(st->lines, (st->nr_lines + 1) * sizeof(*lines));
	if (!lines)
		return perr(pc, "out of memory");
	st->lines = lines;
	el = &lines[st->nr_lines++];
	memset(el, 0, sizeof(*el));
	el->lineno = pc->lineno;

	range = next_word(&s);
	perms = next_word(&s);
	/* the range's '-' is the first one outside parentheses */
	for (dash = range; *dash; dash++) {
		if (*dash == '(')
			depth++;
		else if (*dash == ')')
			depth--;
		else if (*dash == '-' && !depth && dash > range)
			break;
	}
	if (!*dash || !dash[1])
		return perr(pc, "expect line: no START-END range in '%s'", range);
	*dash = '\0';
	el->start = strdup(range);
	el->end = strdup(dash + 1);
	memcpy(el->perms, perms, 5);
	if (!el->start || !el->end)
		return perr(pc, "out of memory");
	if (check_expr(pc, "expect line start", el->start, SCN_HEX) ||
	    check_expr(pc, "expect line end", el->end, SCN_HEX))
		return -EINVAL;

	w = next_word(&s);
	if (w && !path_word(pc, w)) {
		el->offset = strdup(w);
		if (!el->offset)
			return perr(pc, "out of memory");
		if (check_expr(pc, "expect line offset", w, SCN_HEX))
			return -EINVAL;
		w = next_word(&s);
		if (w && strchr(w, ':') && !path_word(pc, w)) {
			/* device, then inode: shown by maps, never compared */
			w = next_word(&s);
			if (!w || strspn(w, "0123456789") != strlen(w))
				return perr(pc, "expect line: a device must be followed by an inode number");
			w = next_word(&s);
		}
	}
	if (w) {
		/* the path is the rest of the line, blanks included */
		size_t n = strlen(w);

		if (s > w + n)
			w[n] = ' ';	/* next_word() cut it there */
		el->path = strdup(trim(w));
		if (!el->path)
			return perr(pc, "out of memory");
		if (el->path[0] == '$' && !path_word(pc, el->path))
			return perr(pc, "expect line: '%s' is not a file variable",
				    el->path);
	} else {
		el->path = strdup("");
		if (!el->path)
			return perr(pc, "out of memory");
	}
	return 0;
}

static int end_expect(struct parse_ctx *pc, struct scn_step *st)
{
	unsigned long saved = pc->lineno;

	if (st->nr_lines || pc->window)
		return 0;
	pc->lineno = st->lineno;
	perr(pc, "an empty expect block needs a window (see `window`)");
	pc->lineno = saved;
	return -EINVAL;
}

/**
 * scn_parse - read a scenario file into steps.
 * @sf: the file to fill (released on failure)
 * @name: its name, for messages; must outlive @sf
 * @in: its text
 * @err: "NAME:LINE: what is wrong" on failure
 * @errlen: size of @err
 *
 * Context: allocates.
 * Return: 0, or -EINVAL (malformed) or -ENOMEM with @err set.
 */
int scn_parse(struct scn_file *sf, const char *name, FILE *in,
	      char *err, size_t errlen)
{
	struct parse_ctx pc = { .sf = sf, .err = err, .errlen = errlen };
	struct scn_step *expect = NULL;
	char *buf = NULL, *line;
	size_t cap = 0;
	ssize_t len;
	bool blank;
	int ret = 0;

	memset(sf, 0, sizeof(*sf));
	sf->name = name;
	while ((len = getline(&buf, &cap, in)) >= 0) {
		pc.lineno++;
		if ((size_t)len != strlen(buf)) {
			ret = perr(&pc, "NUL byte in the line");
			break;
		}
		line = buf;
		blank = !*trim(line);
		line = trim(line);
		strip_comment(line);
		line = trim(line);

		if (expect) {
			if (blank || (*line && !looks_like_expect(line))) {
				ret = end_expect(&pc, expect);
				expect = NULL;
				if (ret)
					break;
			} else {
				if (*line) {
					ret = parse_expect_line(&pc, expect, line);
					if (ret)
						break;
				}
				continue;
			}
		}
		if (!*line)
			continue;

		if (!strncmp(line, "expect", 6) && *trim(line + 6) == ':') {
			if (*trim(strchr(line, ':') + 1)) {
				ret = perr(&pc, "nothing may follow 'expect:' (the lines go below it)");
				break;
			}
			expect = new_step(&pc, SCN_STEP_EXPECT, line);
			if (!expect) {
				ret = perr(&pc, "out of memory");
				break;
			}
			continue;
		}
		if (looks_like_expect(line)) {
			ret = perr(&pc, "a maps line outside an expect block");
			break;
		}
		if (line[0] == '$') {
			ret = parse_binding(&pc, line);
		} else {
			ret = parse_directive(&pc, line);
			if (ret == 1) {
				struct scn_step *st = new_step(&pc, SCN_STEP_CALL, line);

				ret = st ? parse_call(&pc, st, line) :
					   perr(&pc, "out of memory");
			}
		}
		if (ret)
			break;
	}
	if (!ret && ferror(in))
		ret = perr(&pc, "read error");
	if (!ret && expect)
		ret = end_expect(&pc, expect);
	free(buf);
	scn_vars_release(&pc.vars);
	if (ret)
		scn_file_release(sf);
	return ret;
}

/**
 * scn_file_release - free what scn_parse() built.
 * @sf: the file; empty afterwards
 *
 * Context: frees.
 */
void scn_file_release(struct scn_file *sf)
{
	size_t i, j;

	for (i = 0; i < sf->nr_steps; i++) {
		struct scn_step *st = &sf->steps[i];

		for (j = 0; j < st->nr_lines; j++) {
			free(st->lines[j].start);
			free(st->lines[j].end);
			free(st->lines[j].offset);
			free(st->lines[j].path);
		}
		free(st->lines);
		free(st->text);
		free(st->call);
		free(st->result);
		free(st->e1);
		free(st->e2);
	}
	free(sf->steps);
	sf->steps = NULL;
	sf->nr_steps = 0;
}

/* ---- call steps --------------------------------------------------------- */

/* A string argument "$f": the path of file variable $f, quoted. */
static int put_path_arg(FILE *out, const char *t, const struct scn_vars *vars,
			char *err, size_t errlen)
{
	char name[SCN_NAME_LEN];
	const struct scn_var *v;
	const unsigned char *p;
	size_t n = ident_len(t + 2);

	if (!n || n >= sizeof(name) || strcmp(t + 2 + n, "\"")) {
		snprintf(err, errlen, "argument %s: a string \"$NAME\" must be just a file variable",
			 t);
		return -EINVAL;
	}
	memcpy(name, t + 2, n);
	name[n] = '\0';
	v = scn_var_find(vars, name);
	if (!v || !v->path) {
		snprintf(err, errlen, "argument %s: $%s %s", t, name,
			 v ? "names no file" : "is not bound");
		return -EINVAL;
	}
	fputc('"', out);
	for (p = (const unsigned char *)v->path; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < ' ' || *p >= 0x7f)
			fprintf(out, "\\%03o", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
	return 0;
}

/* One argument, variables and arithmetic replaced by a 0x number. */
static int put_arg(FILE *out, const char *a, size_t n,
		   const struct scn_vars *vars, char *err, size_t errlen)
{
	char *text = strndup(a, n), *t, msg[256];
	unsigned long v;
	int ret = 0;

	if (!text)
		return -ENOMEM;
	t = trim(text);
	if (t[0] == '"' && t[1] == '$') {
		ret = put_path_arg(out, t, vars, err, errlen);
	} else if (!*t || t[0] == '"') {
		fputs(t, out);
	} else if (!scn_eval(t, SCN_DECIMAL, vars, false, &v, msg, sizeof(msg))) {
		fprintf(out, "%#lx", v);
	} else if (strchr(t, '$') || t[0] == '(') {
		snprintf(err, errlen, "argument '%s': %s", t, msg);
		ret = -EINVAL;
	} else {
		fputs(t, out);	/* flags, NULL, -1, 3</path>: strace's business */
	}
	free(text);
	return ret;
}

/* The strace line of a call step: "NAME(ARGS) = RESULT", substituted. */
static char *call_line(const struct scn_step *st, const struct scn_vars *vars,
		       char *err, size_t errlen)
{
	const char *open = strchr(st->call, '('), *a, *e;
	size_t len = 0, n;
	char *line = NULL, msg[256];
	unsigned long v;
	FILE *out = open_memstream(&line, &len);
	int ret = 0;

	if (!out) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	fwrite(st->call, 1, (size_t)(open - st->call) + 1, out);
	/* the arguments: split at top-level commas */
	a = open + 1;
	e = st->call + strlen(st->call) - 1;	/* the closing ')' */
	while (!ret && a < e) {
		const char *p = a;

		while (p < e && *p != ',') {
			if (*p == '"' || *p == '(' || *p == '[' || *p == '{') {
				const char *q = *p == '"' ? skip_string(p) :
						skip_group(p);

				p = q && q <= e ? q : e;
			} else {
				p++;
			}
		}
		n = (size_t)(p - a);
		ret = put_arg(out, a, n, vars, err, errlen);
		if (p < e)
			fputs(", ", out);
		a = p + 1;
	}
	fputs(") = ", out);
	if (!ret) {
		if (!st->result || st->rbind[0]) {
			fputs("?", out);
		} else if (strchr(st->result, '$') || st->result[0] == '(') {
			if (scn_eval(st->result, SCN_DECIMAL, vars, false, &v,
				     msg, sizeof(msg))) {
				snprintf(err, errlen, "result: %s", msg);
				ret = -EINVAL;
			}
			fprintf(out, "%#lx", v);
		} else {
			fputs(st->result, out);
		}
	}
	if (fclose(out) || ret) {
		if (!ret)
			snprintf(err, errlen, "out of memory");
		free(line);
		return NULL;
	}
	return line;
}

/**
 * scn_decode_call - a call step, variables substituted, decoded as strace
 * would print it, with the result it states.
 * @st: the step (SCN_STEP_CALL)
 * @vars: the variables
 * @c: the decoded call (@c->fdpath cleared: it would point into a parser
 *	that is gone)
 * @exp: the stated result
 * @err: what is wrong, on failure (without FILE:LINE)
 * @errlen: size of @err
 *
 * Context: allocates (a parser, briefly).
 * Return: 0, or -EINVAL (or -ENOMEM) with @err set.
 */
int scn_decode_call(const struct scn_step *st, const struct scn_vars *vars,
		    struct sim_call *c, struct scn_expected *exp,
		    char *err, size_t errlen)
{
	struct strace_parser *p;
	struct strace_event ev;
	char *line = call_line(st, vars, err, errlen);
	const char *msg;
	FILE *in;
	int ret, e;

	memset(exp, 0, sizeof(*exp));
	if (!line)
		return -EINVAL;
	p = malloc(sizeof(*p));
	in = fmemopen(line, strlen(line), "r");
	if (!p || !in) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	strace_parser_init(p, in, "", 1);
	ret = strace_next(p, &ev);
	if (ret != 1 || ev.kind != STRACE_SYSCALL) {
		/* the parser says ":1: what"; the caller adds FILE:LINE */
		msg = ret < 0 ? strstr(p->error, ": ") : NULL;
		snprintf(err, errlen, "%s (in '%s')",
			 msg ? msg + 2 : "not a complete call", line);
		ret = -EINVAL;
		goto out_parser;
	}
	ret = call_decode(&ev, c, err, errlen);
	memset(c->fdpath, 0, sizeof(c->fdpath));
	if (ret)
		goto out_parser;

	if (st->result && !st->rbind[0] && !ev.ret_unknown) {
		exp->check = true;
		exp->value = ev.ret;
		if (ev.errname[0]) {
			e = errno_value(ev.errname);
			if (!e) {
				snprintf(err, errlen, "unknown errno name %s",
					 ev.errname);
				ret = -EINVAL;
			} else if (ev.ret != -1) {
				snprintf(err, errlen, "an errno name goes with '= -1'");
				ret = -EINVAL;
			}
			exp->value = -e;
		} else if (ev.ret == -1) {
			exp->any_error = true;
		}
	}
out_parser:
	strace_parser_release(p);
out:
	if (in)
		fclose(in);
	free(p);
	free(line);
	return ret;
}
