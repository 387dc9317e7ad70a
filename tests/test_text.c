/* test_text.c — terminal text: Arabic shaping, visual order, widths, cutting and cursor
 * columns. Expected answers are written as code points so that no editor or terminal
 * bidi can hide a mistake. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "text.h"

#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof *(a))

/* Lays out s and checks the drawn characters (and cells, when cells >= 0). */
static void check_visual(const char *s, int width, int rtl, int bidi,
                         const wchar_t *want, size_t nwant, int cells)
{
	text_line l;
	assert_int_equal(text_layout(s, width, rtl, bidi, &l), 0);
	for (size_t i = 0; i < l.n && i < nwant; i++)
		if (l.wc[i] != want[i])
			fail_msg("\"%s\": drawn char %zu is U+%04X, want U+%04X", s, i,
			         (unsigned)l.wc[i], (unsigned)want[i]);
	assert_int_equal(l.n, nwant);
	assert_int_equal(l.wc[l.n], 0);
	if (cells >= 0)
		assert_int_equal(l.cells, cells);
	text_line_free(&l);
}

static void test_shaping_rtl(void **state)
{
	(void)state;
	/* سلام: seen initial, lam-alef final ligature (the lam itself draws nothing), meem
	 * isolated after the non-joining alef; the first logical letter is rightmost. */
	const wchar_t salam[] = {0xFEE1, 0xFEFC, 0xFEB3};
	check_visual("سلام", 0, 1, 1, salam, N(salam), 3);
	/* محمد: initial, medial, medial, final. */
	const wchar_t muhammad[] = {0xFEAA, 0xFEE4, 0xFEA4, 0xFEE3};
	check_visual("محمد", 0, 1, 1, muhammad, N(muhammad), 4);
	/* The base direction does not change an Arabic word. */
	check_visual("محمد", 0, 0, 1, muhammad, N(muhammad), 4);
	/* لا alone: one isolated lam-alef, one cell. */
	const wchar_t la[] = {0xFEFB};
	check_visual("لا", 0, 1, 1, la, N(la), 1);
	assert_int_equal(text_cells("لا", 1), 1);
	assert_int_equal(text_cells("لا", 0), 2);
	assert_int_equal(text_cells("سلام", 1), 3);
}

static void test_latin_unchanged(void **state)
{
	(void)state;
	const wchar_t abc[] = {L'a', L'b', L'c'};
	check_visual("abc", 0, 0, 1, abc, N(abc), 3);
	check_visual("abc", 0, 1, 1, abc, N(abc), 3);
	check_visual("abc", 0, 0, 0, abc, N(abc), 3);
	/* English in an Arabic interface still reads left to right inside. */
	char *s = text_visual_utf8("hello world", 0, 1, 1);
	assert_string_equal(s, "hello world");
	free(s);
	s = text_visual_utf8("", 0, 1, 1);
	assert_string_equal(s, "");
	free(s);
	s = text_visual_utf8(NULL, 5, 0, 1);
	assert_string_equal(s, "");
	free(s);
}

static void test_marks_follow_base(void **state)
{
	(void)state;
	/* مَشّ: meem+fatha, sheen+shadda. Visual: sheen final, its shadda, meem initial, its
	 * fatha — each mark right after its base, sharing its column. */
	text_line l;
	assert_int_equal(text_layout("مَشّ", 0, 1, 1, &l), 0);
	const wchar_t want[] = {0xFEB6, 0x0651, 0xFEE3, 0x064E};
	const int wantx[] = {0, 0, 1, 1};
	assert_int_equal(l.n, N(want));
	for (size_t i = 0; i < l.n; i++) {
		assert_int_equal(l.wc[i], want[i]);
		assert_int_equal(l.cellx[i], wantx[i]);
	}
	assert_int_equal(l.cells, 2);
	assert_int_equal(l.nlog, 4);
	/* Cursor before meem or before its fatha: on the meem (rightmost); before sheen or its
	 * shadda: column 0; at the end: left of the sheen. */
	const int l2v[] = {1, 1, 0, 0, -1};
	for (size_t i = 0; i <= l.nlog; i++)
		assert_int_equal(l.log2vis[i], l2v[i]);
	text_line_free(&l);

	/* A mark with nothing before it is drawn on a dotted circle. */
	const wchar_t orphan[] = {0x25CC, 0x064E};
	check_visual("\xd9\x8e", 0, 0, 1, orphan, N(orphan), 1);
	check_visual("\xd9\x8e", 0, 1, 1, orphan, N(orphan), 1);
	check_visual("\xd9\x8e", 0, 1, 0, orphan, N(orphan), 1);
}

static void test_numbers_inside_arabic(void **state)
{
	(void)state;
	/* القضية 2024-17: the number keeps its order and stays on the left of the words. */
	const wchar_t want[] = {L'2', L'0', L'2', L'4', L'-', L'1', L'7', L' ',
	                        0xFE94, 0xFEF4, 0xFEC0, 0xFED8, 0xFEDF, 0xFE8D};
	check_visual("القضية 2024-17", 0, 1, 1, want, N(want), 14);
	char *s = text_visual_utf8("القضية 2024-17", 0, 0, 1);
	assert_non_null(strstr(s, "2024-17"));
	free(s);
	s = text_visual_utf8("التاريخ 2024/03/17", 0, 1, 1);
	assert_non_null(strstr(s, "2024/03/17"));
	free(s);
	/* Latin inside Arabic keeps its order. */
	s = text_visual_utf8("ملف report.pdf", 0, 1, 1);
	assert_non_null(strstr(s, "report.pdf"));
	assert_int_equal(strncmp(s, "report.pdf ", 11), 0);
	free(s);
	/* Brackets are mirrored in right-to-left text so they still enclose. */
	text_line l;
	assert_int_equal(text_layout("(قضية)", 0, 1, 1, &l), 0);
	assert_int_equal(l.wc[0], L'(');
	assert_int_equal(l.wc[l.n - 1], L')');
	text_line_free(&l);
}

static void test_log2vis_rtl(void **state)
{
	(void)state;
	text_line l;
	assert_int_equal(text_layout("سلام", 0, 1, 1, &l), 0);
	assert_int_equal(l.nlog, 4);
	assert_int_equal(l.cells, 3);
	/* seen is rightmost; lam and alef both on the ligature; meem leftmost; the end is
	 * left of the meem. */
	const int want[] = {2, 1, 1, 0, -1};
	for (size_t i = 0; i <= l.nlog; i++)
		assert_int_equal(l.log2vis[i], want[i]);
	text_line_free(&l);

	/* Left to right: columns in order, end after the last character. */
	assert_int_equal(text_layout("ab", 0, 0, 1, &l), 0);
	assert_int_equal(l.log2vis[0], 0);
	assert_int_equal(l.log2vis[1], 1);
	assert_int_equal(l.log2vis[2], 2);
	text_line_free(&l);

	/* Empty line. */
	assert_int_equal(text_layout("", 0, 1, 1, &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.nlog, 0);
	assert_int_equal(l.log2vis[0], 0);
	text_line_free(&l);
	assert_null(l.wc);
	assert_null(l.log2vis);
}

static void test_truncation(void **state)
{
	(void)state;
	/* محمد عبد الرحمن in 5 cells: the first word and "…" at the logical end, on the left. */
	text_line l;
	assert_int_equal(text_layout("محمد عبد الرحمن", 5, 1, 1, &l), 0);
	const wchar_t want[] = {0x2026, 0xFEAA, 0xFEE4, 0xFEA4, 0xFEE3};
	assert_int_equal(l.n, N(want));
	for (size_t i = 0; i < l.n; i++)
		assert_int_equal(l.wc[i], want[i]);
	assert_int_equal(l.cells, 5);
	assert_int_equal(l.nlog, 15);
	assert_int_equal(l.log2vis[0], 4);
	/* The space and everything cut go to the "…", as does the end. */
	for (size_t i = 4; i <= l.nlog; i++)
		assert_int_equal(l.log2vis[i], 0);
	text_line_free(&l);

	/* The cut letter takes its final form: سلا + "…" (not a half lam-alef). */
	const wchar_t sala[] = {0x2026, 0xFEFC, 0xFEB3};
	check_visual("سلام عليكم", 3, 1, 1, sala, N(sala), 3);
	/* Never between lam and alef: بلاد in 2 cells keeps just the beh. */
	const wchar_t b[] = {0x2026, 0xFE8F};
	check_visual("بلاد", 2, 1, 1, b, N(b), 2);
	/* Left to right the "…" is on the right; exact fit is not cut. */
	char *s = text_visual_utf8("abcdefgh", 5, 0, 1);
	assert_string_equal(s, "abcd…");
	free(s);
	s = text_visual_utf8("abcde", 5, 0, 1);
	assert_string_equal(s, "abcde");
	free(s);
	s = text_visual_utf8("abcdefgh", 1, 0, 1);
	assert_string_equal(s, "…");
	free(s);
	/* English cut in an Arabic paragraph: its logical end is on the left too. */
	s = text_visual_utf8("abcdefgh", 5, 1, 1);
	assert_string_equal(s, "…abcd");
	free(s);
	/* width <= 0: no limit. */
	s = text_visual_utf8("abcdefgh", 0, 0, 1);
	assert_string_equal(s, "abcdefgh");
	free(s);
	s = text_visual_utf8("abcdefgh", -3, 0, 1);
	assert_string_equal(s, "abcdefgh");
	free(s);
}

static void test_wide_and_marks_never_split(void **state)
{
	(void)state;
	text_line l;
	assert_int_equal(text_layout("中a", 0, 0, 1, &l), 0);
	assert_int_equal(l.cells, 3);
	assert_int_equal(l.cellx[0], 0);
	assert_int_equal(l.cellx[1], 2);
	assert_int_equal(l.log2vis[2], 3);
	text_line_free(&l);
	assert_int_equal(text_wcwidth(0x4E2D), 2);
	assert_int_equal(text_cells("中文字", 1), 6);

	/* 中文字 in 5 cells: two wide chars and "…"; in 4: one wide char, "…" and a spare cell. */
	char *s = text_visual_utf8("中文字", 5, 0, 1);
	assert_string_equal(s, "中文…");
	free(s);
	s = text_visual_utf8("中文字", 4, 0, 1);
	assert_string_equal(s, "中…");
	free(s);
	s = text_visual_utf8("a中", 2, 0, 1);
	assert_string_equal(s, "a…");
	free(s);

	/* ab́c in 2 cells: the b goes with its accent, not without it. */
	s = text_visual_utf8("ab\xcc\x81" "c", 2, 0, 1);
	assert_string_equal(s, "a…");
	free(s);
	s = text_visual_utf8("ab\xcc\x81" "cd", 3, 0, 1);
	assert_string_equal(s, "ab\xcc\x81…");
	free(s);
	/* Arabic: the fatha stays with the meem when the line is cut after it; the meem,
	 * now last, is isolated. */
	const wchar_t m[] = {0x2026, 0xFEE1, 0x064E};
	check_visual("مَشّي", 2, 1, 1, m, N(m), 2);
}

static void test_no_bidi_mode(void **state)
{
	(void)state;
	/* The terminal does bidi: logical order, no shaping, no ligature. */
	const wchar_t salam[] = {0x0633, 0x0644, 0x0627, 0x0645};
	check_visual("سلام", 0, 1, 0, salam, N(salam), 4);
	text_line l;
	assert_int_equal(text_layout("سلام", 0, 1, 0, &l), 0);
	for (int i = 0; i <= 4; i++)
		assert_int_equal(l.log2vis[i], i);
	text_line_free(&l);
	/* Cut at the logical end, which is the array's end here. */
	const wchar_t cut[] = {0x0633, 0x0644, 0x2026};
	check_visual("سلام", 3, 1, 0, cut, N(cut), 3);
}

static void test_controls_and_bad_utf8(void **state)
{
	(void)state;
	char *s = text_visual_utf8("a\tb\nc\x01" "d", 0, 0, 1);
	assert_string_equal(s, "a b\xef\xbf\xbd" "c\xef\xbf\xbd" "d");
	free(s);
	text_line l;
	assert_int_equal(text_layout("a\xff" "b\xe2\x82", 0, 0, 1, &l), 0);
	const wchar_t want[] = {L'a', 0xFFFD, L'b', 0xFFFD, 0xFFFD};
	assert_int_equal(l.n, N(want));
	for (size_t i = 0; i < l.n; i++)
		assert_int_equal(l.wc[i], want[i]);
	assert_int_equal(l.nlog, 5);
	text_line_free(&l);
	/* Bidi controls steer but are not drawn; the cursor before one goes to what follows. */
	assert_int_equal(text_layout("a\xe2\x80\x8f" "b", 0, 0, 1, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.nlog, 3);
	assert_int_equal(l.log2vis[1], 1);
	assert_int_equal(l.log2vis[2], 1);
	text_line_free(&l);
	/* Free twice is harmless. */
	text_line_free(&l);
}

static void test_utf8_helpers(void **state)
{
	(void)state;
	wchar_t c;
	assert_int_equal(text_utf8_decode("\xd8\xb3", 2, &c), 2);
	assert_int_equal(c, 0x0633);
	assert_int_equal(text_utf8_decode("\xd8\xb3", 1, &c), -1);
	assert_int_equal(c, 0xFFFD);
	assert_int_equal(text_utf8_decode("\xc0\x80", 2, &c), -1);        /* overlong */
	assert_int_equal(text_utf8_decode("\xe0\x80\x80", 3, &c), -1);    /* overlong */
	assert_int_equal(text_utf8_decode("\xed\xa0\x80", 3, &c), -1);    /* surrogate */
	assert_int_equal(text_utf8_decode("\xf4\x90\x80\x80", 4, &c), -1); /* > U+10FFFF */
	assert_int_equal(text_utf8_decode("\xf0\x9f\x98\x80", 4, &c), 4);
	assert_int_equal(c, 0x1F600);
	char o[4];
	assert_int_equal(text_utf8_encode(0x2026, o), 3);
	assert_memory_equal(o, "\xe2\x80\xa6", 3);
	assert_int_equal(text_wcwidth(0x064E), 0);
	assert_int_equal(text_wcwidth(0xFEFB), 1);
	assert_int_equal(text_wcwidth(0x2026), 1);
	assert_int_equal(text_wcwidth(L'\n'), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shaping_rtl),
		cmocka_unit_test(test_latin_unchanged),
		cmocka_unit_test(test_marks_follow_base),
		cmocka_unit_test(test_numbers_inside_arabic),
		cmocka_unit_test(test_log2vis_rtl),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_wide_and_marks_never_split),
		cmocka_unit_test(test_no_bidi_mode),
		cmocka_unit_test(test_controls_and_bad_utf8),
		cmocka_unit_test(test_utf8_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
