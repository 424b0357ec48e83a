/* SPDX-License-Identifier: MIT */
/*
 * dump.c - the `vmasim dump` command: load a /proc/PID/maps snapshot into
 * a fresh simulated mm and show it for people who would rather look than
 * read: printed back as maps (a round trip), drawn as an SVG picture of
 * the address space, or its VMA tree written as Graphviz DOT.
 *
 * The SVG: the address space is huge and sparse, so it is cut into
 * regions, runs of VMAs separated by less than DUMP_GAP_BREAK bytes.  Each
 * region is one horizontal band, its VMAs drawn to scale (but at least
 * SVG_MIN_W pixels wide) with its small gaps as empty space; the large
 * gaps between regions are drawn as fixed-height breaks with their size
 * written on them.  Each VMA is a rectangle coloured by kind, with its
 * range, permissions and name in a tooltip and, when it is wide enough,
 * as text.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmasim/vma.h>

#include "dump.h"

/* Where top-down searches start in the fresh mm (no snapshot says). */
#define DUMP_MMAP_BASE		0x7ffff7fff000UL

/* Gaps of at least this many bytes end a region. */
#define DUMP_GAP_BREAK		(1UL << 20)

/* SVG geometry, in pixels. */
#define SVG_WIDTH		1200.0
#define SVG_MARGIN		20.0
#define SVG_BAND_W		(SVG_WIDTH - 2 * SVG_MARGIN)
#define SVG_MIN_W		6.0
#define SVG_TITLE_H		30.0
#define SVG_LEGEND_H		30.0
#define SVG_HEAD_H		18.0
#define SVG_RECT_H		52.0
#define SVG_FOOT_H		16.0
#define SVG_BREAK_H		34.0
#define SVG_CHAR_W		6.1	/* monospace, font-size 10 */
#define SVG_FONT		"font-family=\"monospace\" font-size=\"10\""

enum dump_kind {
	KIND_TEXT,
	KIND_DATA,
	KIND_ANON,
	KIND_HEAP,
	KIND_STACK,
	KIND_SPECIAL,
	NR_KINDS,
};

static const struct {
	const char *label;
	const char *fill;
} dump_kinds[NR_KINDS] = {
	[KIND_TEXT]	= { "file text (x)", "#e8776b" },
	[KIND_DATA]	= { "file data", "#7fb3e0" },
	[KIND_ANON]	= { "anonymous", "#b5b5b5" },
	[KIND_HEAP]	= { "heap", "#f2b45a" },
	[KIND_STACK]	= { "stack", "#b08ad6" },
	[KIND_SPECIAL]	= { "special ([vdso], [vvar])", "#f3e27a" },
};

/* What the picture needs of one VMA, copied out of the mm. */
struct dump_vma {
	unsigned long start;
	unsigned long end;
	unsigned long pgoff;
	char perms[5];
	enum dump_kind kind;
	char *name;		/* as maps shows it; "" for none */
};

/* ---- loading ------------------------------------------------------- */

/*
 * Load @path ("-" for stdin) into a fresh mm.  Prints the error and
 * returns NULL on failure.
 */
static struct mm_struct *dump_load(const char *path)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	struct mm_struct *mm;
	char *err = NULL;
	FILE *in;
	int ret;

	if (strcmp(path, "-")) {
		in = fopen(path, "r");
		if (!in) {
			fprintf(stderr, "vmasim: %s: %s\n", path, strerror(errno));
			return NULL;
		}
	} else {
		in = stdin;
	}

	mm = calloc(1, sizeof(*mm));
	if (!mm) {
		fprintf(stderr, "vmasim: %s\n", strerror(ENOMEM));
		goto close;
	}
	ret = mm_init(mm, DUMP_MMAP_BASE, false, NULL);
	if (ret) {
		fprintf(stderr, "vmasim: cannot make an mm: %s\n",
			strerror(-ret));
		free(mm);
		mm = NULL;
		goto close;
	}

	errno = 0;
	ret = mm_load_maps(mm, in, name, &err);
	if (ferror(in)) {
		fprintf(stderr, "vmasim: %s: %s\n", name,
			strerror(errno ? errno : EIO));
		ret = ret ? ret : -EIO;
	} else if (ret) {
		if (err)
			fprintf(stderr, "%s\n", err);
		else
			fprintf(stderr, "vmasim: %s: %s\n", name,
				strerror(-ret));
	}
	free(err);
	if (ret) {
		exit_mmap(mm);
		free(mm);
		mm = NULL;
	}
close:
	if (in != stdin)
		fclose(in);
	return mm;
}

static void dump_free(struct mm_struct *mm)
{
	exit_mmap(mm);
	free(mm);
}

/* ---- collecting the VMAs ------------------------------------------- */

static bool dump_is_heap(const struct mm_struct *mm,
			 const struct vm_area_struct *vma)
{
	return vma->vm_start < mm->brk && vma->vm_end > mm->start_brk;
}

static bool dump_is_stack(const struct mm_struct *mm,
			  const struct vm_area_struct *vma)
{
	return vma->vm_start <= mm->start_stack &&
	       vma->vm_end >= mm->start_stack;
}

/* The kind of @vma, by the rules /proc/PID/maps names VMAs with. */
static enum dump_kind dump_kind_of(const struct mm_struct *mm,
				   const struct vm_area_struct *vma)
{
	/* Shared anonymous memory is a deleted shmem file "/dev/zero". */
	if (vma->vm_file && vma->vm_file->shmem && vma->vm_file->path &&
	    !strcmp(vma->vm_file->path, "/dev/zero"))
		return KIND_ANON;
	if (vma->vm_file)
		return (vma->vm_flags & VM_EXEC) ? KIND_TEXT : KIND_DATA;
	if (vma->vm_special && vma->vm_special->name)
		return KIND_SPECIAL;
	if (dump_is_heap(mm, vma))
		return KIND_HEAP;
	if (dump_is_stack(mm, vma))
		return KIND_STACK;
	return KIND_ANON;
}

/*
 * The name /proc/PID/maps shows for @vma (newlines in paths aside), in
 * a new string; "" for none.  NULL if out of memory.
 */
static char *dump_name_of(const struct mm_struct *mm,
			  const struct vm_area_struct *vma)
{
	const struct vm_file *file = vma->vm_file;
	const char *fmt = "%s%s", *a = "", *b = "";
	char *name;
	int len;

	if (file && vma->anon_name) {
		fmt = "[anon_shmem:%s]%s";
		a = vma->anon_name;
	} else if (file) {
		a = file->path ? file->path : "";
		b = file->deleted ? " (deleted)" : "";
	} else if (vma->vm_special && vma->vm_special->name) {
		a = vma->vm_special->name;
	} else if (dump_is_heap(mm, vma)) {
		a = "[heap]";
	} else if (dump_is_stack(mm, vma)) {
		a = "[stack]";
	} else if (vma->anon_name) {
		fmt = "[anon:%s]%s";
		a = vma->anon_name;
	}
	len = snprintf(NULL, 0, fmt, a, b);
	if (len < 0)
		return NULL;
	name = malloc((size_t)len + 1);
	if (name)
		snprintf(name, (size_t)len + 1, fmt, a, b);
	return name;
}

static void dump_vmas_free(struct dump_vma *v, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		free(v[i].name);
	free(v);
}

/*
 * Copy every VMA of @mm into a new array; NULL (and *@nr = 0) if empty.
 * On running out of memory, *@nomem is set and the VMAs copied so far
 * are returned.
 */
static struct dump_vma *dump_collect(struct mm_struct *mm, size_t *nr,
				     bool *nomem)
{
	VMA_ITERATOR(vmi, mm, 0);
	struct vm_area_struct *vma;
	struct dump_vma *v = NULL, *nv;
	size_t n = 0, cap = 0;

	*nomem = false;
	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		struct dump_vma *d;

		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				*nomem = true;
				break;
			}
			v = nv;
		}
		d = &v[n++];
		d->start = vma->vm_start;
		d->end = vma->vm_end;
		d->pgoff = vma->vm_pgoff;
		d->perms[0] = (vma->vm_flags & VM_READ) ? 'r' : '-';
		d->perms[1] = (vma->vm_flags & VM_WRITE) ? 'w' : '-';
		d->perms[2] = (vma->vm_flags & VM_EXEC) ? 'x' : '-';
		d->perms[3] = (vma->vm_flags & VM_MAYSHARE) ? 's' : 'p';
		d->perms[4] = '\0';
		d->kind = dump_kind_of(mm, vma);
		d->name = dump_name_of(mm, vma);
		if (!d->name) {
			n--;
			*nomem = true;
			break;
		}
	}
	mmap_read_unlock(mm);
	*nr = n;
	return v;
}

/* ---- SVG helpers ---------------------------------------------------- */

/*
 * Length of the valid UTF-8 sequence at @s (at most @len bytes) of a
 * character XML allows, or 0 if there is none.
 */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	size_t n, i;

	if (s[0] < 0x80)
		return (s[0] >= 0x20 || s[0] == '\t') ? 1 : 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) ||	/* overlong */
	    (s[0] == 0xed && s[1] >= 0xa0) ||	/* surrogate */
	    (s[0] == 0xf0 && s[1] < 0x90) ||	/* overlong */
	    (s[0] == 0xf4 && s[1] >= 0x90))	/* above U+10FFFF */
		return 0;
	if (s[0] == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))
		return 0;			/* U+FFFE, U+FFFF */
	return n;
}

/* Number of characters xml_put() counts in @s. */
static size_t xml_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), chars = 0, n;

	while (len) {
		n = utf8_seq(p, len);
		if (!n)
			n = 1;
		p += n;
		len -= n;
		chars++;
	}
	return chars;
}

/*
 * Write @s as XML character data, escaped, bytes that are not valid
 * characters written as '?', cut to @max characters ("..." ending it) if
 * longer.
 */
static void xml_put(FILE *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), chars = 0, n;
	bool cut = xml_chars(s) > max;

	if (cut)
		max = max > 3 ? max - 3 : 0;
	while (len && chars < max) {
		n = utf8_seq(p, len);
		if (!n) {
			fputc('?', out);
			n = 1;
		} else if (*p == '&') {
			fputs("&amp;", out);
		} else if (*p == '<') {
			fputs("&lt;", out);
		} else if (*p == '>') {
			fputs("&gt;", out);
		} else if (*p == '"') {
			fputs("&quot;", out);
		} else {
			fwrite(p, 1, n, out);
		}
		p += n;
		len -= n;
		chars++;
	}
	if (cut)
		fputs("...", out);
}

/* A byte count for people: "4 KiB", "1.5 MiB", "127.9 TiB". */
static void human_size(char *buf, size_t size, unsigned long bytes)
{
	static const char *const units[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
	};
	double v = (double)bytes;
	unsigned int u = 0;

	while (v >= 1024.0 && u < sizeof(units) / sizeof(units[0]) - 1) {
		v /= 1024.0;
		u++;
	}
	if (u == 0 || v >= 100.0 || v == (double)(unsigned long)v)
		snprintf(buf, size, "%.0f %s", v, units[u]);
	else
		snprintf(buf, size, "%.1f %s", v, units[u]);
}

/* The last path component of @name, for labels; names in [] are kept. */
static const char *short_name(const char *name)
{
	const char *slash = strrchr(name, '/');

	if (name[0] == '[' || !slash || !slash[1])
		return name;
	return slash + 1;
}

/* ---- SVG drawing ---------------------------------------------------- */

/* A region: VMAs [first, last] with gaps below DUMP_GAP_BREAK. */
struct dump_region {
	size_t first;
	size_t last;
	double width;		/* of its band */
};

static void svg_vma(FILE *out, const struct dump_vma *d, double x, double y,
		    double w)
{
	char size[32];
	char range[40];
	size_t fit;

	human_size(size, sizeof(size), d->end - d->start);
	snprintf(range, sizeof(range), "%lx-%lx", d->start, d->end);

	fprintf(out, "<g>\n<title>%s %s %08lx %s ", range, d->perms,
		d->pgoff << PAGE_SHIFT, size);
	xml_put(out, d->name[0] ? d->name : "(anonymous)", (size_t)-1);
	fputs("</title>\n", out);
	fprintf(out,
		"<rect class=\"vma\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\" stroke=\"#333\" stroke-width=\"0.5\"/>\n",
		x, y, w, SVG_RECT_H, dump_kinds[d->kind].fill);

	/* Text lines only when at least a few characters fit. */
	fit = w > 6 ? (size_t)((w - 6) / SVG_CHAR_W) : 0;
	if (fit >= 4) {
		const char *label = d->name[0] ? short_name(d->name) : "[anon]";

		fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" %s>", x + 3,
			y + 14, SVG_FONT);
		xml_put(out, label, fit);
		fputs("</text>\n", out);
	}
	if (fit >= strlen(d->perms) + 1 + strlen(size)) {
		fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" %s>%s %s</text>\n",
			x + 3, y + 29, SVG_FONT, d->perms, size);
	}
	if (fit >= strlen(range)) {
		fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" %s fill=\"#222\">%s</text>\n",
			x + 3, y + 44, SVG_FONT, range);
	}
	fputs("</g>\n", out);
}

/* Draw one region as a band whose top is at @y. */
static void svg_region(FILE *out, const struct dump_vma *v,
		       const struct dump_region *r, unsigned int index,
		       double y)
{
	unsigned long base = v[r->first].start;
	unsigned long span = v[r->last].end - base;
	size_t n = r->last - r->first + 1, i;
	double spare = r->width - (double)n * SVG_MIN_W;
	char size[32];

	human_size(size, sizeof(size), span);
	fprintf(out,
		"<text x=\"%.2f\" y=\"%.2f\" %s font-weight=\"bold\">region %u: %lx-%lx (%s, %zu VMA%s)</text>\n",
		SVG_MARGIN, y + 12, SVG_FONT, index, base, base + span, size,
		n, n == 1 ? "" : "s");
	y += SVG_HEAD_H;
	fprintf(out,
		"<rect class=\"band\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"#f6f6f6\" stroke=\"#ccc\" stroke-width=\"0.5\"/>\n",
		SVG_MARGIN, y, r->width, SVG_RECT_H);

	/*
	 * Every VMA gets SVG_MIN_W pixels, and the rest of the band is shared
	 * out in proportion to addresses: the x of an address depends only on
	 * it and on how many VMAs start below it, so VMAs tile exactly.
	 */
	for (i = 0; i < n; i++) {
		const struct dump_vma *d = &v[r->first + i];
		double x0 = SVG_MARGIN + (double)i * SVG_MIN_W +
			    spare * (double)(d->start - base) / (double)span;
		double x1 = SVG_MARGIN + (double)(i + 1) * SVG_MIN_W +
			    spare * (double)(d->end - base) / (double)span;

		svg_vma(out, d, x0, y, x1 - x0);
	}
	y += SVG_RECT_H;
	fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" %s fill=\"#555\">%lx</text>\n",
		SVG_MARGIN, y + 12, SVG_FONT, base);
	fprintf(out,
		"<text x=\"%.2f\" y=\"%.2f\" %s fill=\"#555\" text-anchor=\"end\">%lx</text>\n",
		SVG_MARGIN + r->width, y + 12, SVG_FONT, base + span);
}

/* Draw the break for a gap of @bytes from @from, its top at @y. */
static void svg_break(FILE *out, unsigned long from, unsigned long bytes,
		      double width, double y)
{
	double mid = y + SVG_BREAK_H / 2, x;
	char size[32];

	human_size(size, sizeof(size), bytes);
	fputs("<polyline fill=\"none\" stroke=\"#999\" stroke-width=\"1\" points=\"", out);
	for (x = 0; x <= width; x += 12)
		fprintf(out, "%.2f,%.2f ", SVG_MARGIN + x,
			mid + (((int)(x / 12)) % 2 ? -4.0 : 4.0));
	fputs("\"/>\n", out);
	fprintf(out,
		"<text x=\"%.2f\" y=\"%.2f\" %s text-anchor=\"middle\" fill=\"#333\" stroke=\"#fff\" stroke-width=\"4\" paint-order=\"stroke\">gap of %lx bytes (%s) at %lx</text>\n",
		SVG_MARGIN + width / 2, mid + 4, SVG_FONT, bytes, size, from);
}

static void svg_legend(FILE *out, double y)
{
	double x = SVG_MARGIN;
	int k;

	for (k = 0; k < NR_KINDS; k++) {
		fprintf(out,
			"<rect class=\"legend\" x=\"%.2f\" y=\"%.2f\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"#333\" stroke-width=\"0.5\"/>\n",
			x, y, dump_kinds[k].fill);
		fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" %s>%s</text>\n",
			x + 18, y + 11, SVG_FONT, dump_kinds[k].label);
		x += 18 + SVG_CHAR_W * (double)strlen(dump_kinds[k].label) + 20;
	}
}

/* Write the SVG picture of @mm, whose snapshot is called @name. */
static int dump_svg(struct mm_struct *mm, const char *name, FILE *out)
{
	struct dump_region *regions = NULL;
	size_t nr = 0, nr_regions = 0, i;
	unsigned long mapped = 0;
	struct dump_vma *v;
	double width = SVG_BAND_W, height, y;
	char size[32];
	bool nomem;

	v = dump_collect(mm, &nr, &nomem);
	if (nomem)
		goto nomem;
	if (nr) {
		regions = calloc(nr, sizeof(*regions));
		if (!regions)
			goto nomem;
	}
	for (i = 0; i < nr; i++) {
		mapped += v[i].end - v[i].start;
		if (!i || v[i].start - v[i - 1].end >= DUMP_GAP_BREAK) {
			regions[nr_regions].first = i;
			nr_regions++;
		}
		regions[nr_regions - 1].last = i;
	}
	/* A region with many VMAs widens the picture. */
	for (i = 0; i < nr_regions; i++) {
		size_t n = regions[i].last - regions[i].first + 1;
		double need = (double)n * SVG_MIN_W * 3;

		regions[i].width = need > SVG_BAND_W ? need : SVG_BAND_W;
		if (regions[i].width > width)
			width = regions[i].width;
	}

	height = SVG_MARGIN + SVG_TITLE_H + SVG_LEGEND_H + SVG_MARGIN +
		 (double)nr_regions * (SVG_HEAD_H + SVG_RECT_H + SVG_FOOT_H) +
		 (nr_regions ? (double)(nr_regions - 1) * SVG_BREAK_H : 20.0);

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
		width + 2 * SVG_MARGIN, height, width + 2 * SVG_MARGIN, height);
	fputs("<title>", out);
	xml_put(out, name, (size_t)-1);
	fputs(" - address space</title>\n", out);
	fprintf(out, "<rect class=\"background\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n",
		width + 2 * SVG_MARGIN, height);

	y = SVG_MARGIN;
	human_size(size, sizeof(size), mapped);
	fprintf(out,
		"<text x=\"%.2f\" y=\"%.2f\" font-family=\"sans-serif\" font-size=\"16\" font-weight=\"bold\">",
		SVG_MARGIN, y + 16);
	xml_put(out, name, 80);
	fprintf(out, ": %zu VMA%s, %s mapped, %zu region%s (addresses ascending)</text>\n",
		nr, nr == 1 ? "" : "s", size, nr_regions,
		nr_regions == 1 ? "" : "s");
	y += SVG_TITLE_H;
	svg_legend(out, y);
	y += SVG_LEGEND_H + SVG_MARGIN;

	if (!nr)
		fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" %s>(no VMAs)</text>\n",
			SVG_MARGIN, y + 12, SVG_FONT);
	for (i = 0; i < nr_regions; i++) {
		if (i) {
			unsigned long from = v[regions[i - 1].last].end;

			svg_break(out, from, v[regions[i].first].start - from,
				  width, y);
			y += SVG_BREAK_H;
		}
		svg_region(out, v, &regions[i], (unsigned int)i, y);
		y += SVG_HEAD_H + SVG_RECT_H + SVG_FOOT_H;
	}
	fputs("</svg>\n", out);
	free(regions);
	dump_vmas_free(v, nr);
	return 0;

nomem:
	free(regions);
	dump_vmas_free(v, nr);
	return -ENOMEM;
}

/* ---- the command ------------------------------------------------------ */

enum dump_what { DUMP_MAPS, DUMP_SVG, DUMP_DOT };

static const struct {
	const char *name;
	enum dump_what what;
} dump_subcommands[] = {
	{ "maps", DUMP_MAPS },
	{ "maps-svg", DUMP_SVG },
	{ "tree-dot", DUMP_DOT },
};

void dump_usage(FILE *out)
{
	fputs("usage: vmasim dump maps SNAPSHOT [-o OUT]\n"
	      "       vmasim dump maps-svg SNAPSHOT [-o OUT.svg]\n"
	      "       vmasim dump tree-dot SNAPSHOT [-o OUT.dot]\n"
	      "\n"
	      "Load a /proc/PID/maps snapshot (a file, or - for stdin) into a\n"
	      "simulated address space and write it out:\n"
	      "  maps      as /proc/PID/maps would print it (a round trip)\n"
	      "  maps-svg  as an SVG picture of the address space\n"
	      "  tree-dot  its maple tree of VMAs as Graphviz DOT\n"
	      "\n"
	      "  -o OUT    write to OUT instead of standard output\n", out);
}

int cmd_dump(int argc, char **argv)
{
	const char *snapshot = NULL, *output = NULL, *name;
	struct mm_struct *mm;
	enum dump_what what;
	FILE *out = stdout;
	size_t s;
	int i, ret;

	if (argc < 2) {
		dump_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		dump_usage(stdout);
		return 0;
	}
	for (s = 0; s < sizeof(dump_subcommands) / sizeof(dump_subcommands[0]); s++)
		if (!strcmp(argv[1], dump_subcommands[s].name))
			break;
	if (s == sizeof(dump_subcommands) / sizeof(dump_subcommands[0])) {
		fprintf(stderr, "vmasim dump: unknown subcommand '%s'\n", argv[1]);
		dump_usage(stderr);
		return 2;
	}
	what = dump_subcommands[s].what;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-o")) {
			if (++i == argc || output) {
				fprintf(stderr, "vmasim dump: -o needs one file\n");
				return 2;
			}
			output = argv[i];
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			dump_usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "vmasim dump: unknown option '%s'\n",
				argv[i]);
			return 2;
		} else if (snapshot) {
			fprintf(stderr, "vmasim dump: one SNAPSHOT only\n");
			return 2;
		} else {
			snapshot = argv[i];
		}
	}
	if (!snapshot) {
		fprintf(stderr, "vmasim dump %s: no SNAPSHOT given\n", argv[1]);
		dump_usage(stderr);
		return 2;
	}

	mm = dump_load(snapshot);
	if (!mm)
		return 1;

	if (output && strcmp(output, "-")) {
		out = fopen(output, "w");
		if (!out) {
			fprintf(stderr, "vmasim: %s: %s\n", output, strerror(errno));
			dump_free(mm);
			return 1;
		}
	} else {
		output = "<stdout>";
	}

	name = strcmp(snapshot, "-") ? snapshot : "<stdin>";
	errno = 0;
	switch (what) {
	case DUMP_MAPS:
		mmap_read_lock(mm);
		ret = mm_show_maps(mm, out);
		mmap_read_unlock(mm);
		break;
	case DUMP_SVG:
		ret = dump_svg(mm, name, out);
		break;
	case DUMP_DOT:
	default:
		mmap_read_lock(mm);
		ret = mt_dump_dot(&mm->mm_mt, out);
		mmap_read_unlock(mm);
		break;
	}
	dump_free(mm);

	if (!ret && (fflush(out) || ferror(out)))
		ret = errno ? -errno : -EIO;
	if (out != stdout && fclose(out) && !ret)
		ret = errno ? -errno : -EIO;
	if (ret) {
		fprintf(stderr, "vmasim: %s: %s\n", output, strerror(-ret));
		return 1;
	}
	return 0;
}
