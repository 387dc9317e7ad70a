/* test_edit.c — the one-line field buffer: Arabic in, moving by characters (letter plus
 * harakat), deleting, Ctrl-U/Ctrl-W, and what it refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "edit.h"

#include <string.h>

/* مَشّ: meem, fatha, sheen, shadda. */
#define MASHSH "\xd9\x85\xd9\x8e\xd8\xb4\xd9\x91"

static void test_insert_and_move(void **state)
{
	(void)state;
	edit e;
	edit_init(&e, "");
	assert_string_equal(e.buf, "");
	assert_int_equal(edit_insert(&e, "سلام"), 0);
	assert_string_equal(e.buf, "سلام");
	assert_int_equal(e.len, 8);
	assert_int_equal(e.cur, 8);
	assert_int_equal(edit_cursor_char(&e), 4);
	edit_left(&e);
	assert_int_equal(edit_cursor_char(&e), 3);
	assert_int_equal(e.cur, 6);
	/* Insert in the middle: the cursor goes after what was inserted. */
	assert_int_equal(edit_insert(&e, "ي"), 0);
	assert_string_equal(e.buf, "سلايم");
	assert_int_equal(edit_cursor_char(&e), 4);
	edit_home(&e);
	assert_int_equal(e.cur, 0);
	edit_left(&e);   /* no-op at the start */
	assert_int_equal(e.cur, 0);
	edit_right(&e);
	assert_int_equal(edit_cursor_char(&e), 1);
	edit_end(&e);
	edit_right(&e);   /* no-op at the end */
	assert_int_equal(e.cur, e.len);
	edit_free(&e);
	assert_null(e.buf);
	assert_int_equal(e.len, 0);
	edit_free(&e);   /* twice is harmless */
}

static void test_marks_are_one_step(void **state)
{
	(void)state;
	edit e;
	edit_init(&e, MASHSH);
	assert_int_equal(edit_cursor_char(&e), 4);
	edit_left(&e);   /* over sheen+shadda */
	assert_int_equal(edit_cursor_char(&e), 2);
	edit_left(&e);   /* over meem+fatha */
	assert_int_equal(edit_cursor_char(&e), 0);
	edit_right(&e);
	assert_int_equal(edit_cursor_char(&e), 2);
	edit_right(&e);
	assert_int_equal(edit_cursor_char(&e), 4);

	/* Delete takes the whole character after the cursor, marks included. */
	edit_home(&e);
	edit_delete(&e);
	assert_string_equal(e.buf, "\xd8\xb4\xd9\x91");
	assert_int_equal(e.cur, 0);
	edit_delete(&e);
	assert_string_equal(e.buf, "");
	edit_delete(&e);   /* no-op on empty */
	assert_string_equal(e.buf, "");
	edit_free(&e);

	/* Backspace after letter+haraka removes only the haraka, then the letter. */
	edit_init(&e, MASHSH);
	edit_backspace(&e);
	assert_string_equal(e.buf, "\xd9\x85\xd9\x8e\xd8\xb4");
	edit_backspace(&e);
	assert_string_equal(e.buf, "\xd9\x85\xd9\x8e");
	edit_backspace(&e);
	assert_string_equal(e.buf, "\xd9\x85");
	assert_int_equal(edit_cursor_char(&e), 1);
	edit_backspace(&e);
	edit_backspace(&e);   /* no-op at the start */
	assert_string_equal(e.buf, "");
	assert_int_equal(e.cur, 0);
	edit_free(&e);

	/* A haraka typed after a letter joins it: one step back goes before both. */
	edit_init(&e, "ب");
	assert_int_equal(edit_insert(&e, "\xd9\x8e"), 0);
	edit_left(&e);
	assert_int_equal(e.cur, 0);
	edit_free(&e);
}

static void test_kill(void **state)
{
	(void)state;
	edit e;
	edit_init(&e, "قضية رقم 17");
	edit_kill_word(&e);
	assert_string_equal(e.buf, "قضية رقم ");
	edit_kill_word(&e);   /* the space before the cursor, then the word */
	assert_string_equal(e.buf, "قضية ");
	edit_kill_word(&e);
	assert_string_equal(e.buf, "");
	edit_kill_word(&e);
	assert_string_equal(e.buf, "");
	edit_free(&e);

	/* Only what is before the cursor goes. */
	edit_init(&e, "abc def");
	edit_home(&e);
	for (int i = 0; i < 3; i++)
		edit_right(&e);
	edit_kill_word(&e);
	assert_string_equal(e.buf, " def");
	assert_int_equal(e.cur, 0);
	edit_free(&e);

	/* NBSP separates words too. */
	edit_init(&e, "a\xc2\xa0" "b");
	edit_kill_word(&e);
	assert_string_equal(e.buf, "a\xc2\xa0");
	edit_free(&e);

	edit_init(&e, "محمد عبد الرحمن");
	edit_left(&e);
	edit_kill_line(&e);
	assert_string_equal(e.buf, "");
	assert_int_equal(e.len, 0);
	assert_int_equal(e.cur, 0);
	assert_int_equal(edit_insert(&e, "x"), 0);
	assert_string_equal(e.buf, "x");
	edit_free(&e);
}

static void test_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"\xc3",                 /* truncated */
		"a\xff",                /* never valid */
		"\xc0\x80",             /* overlong NUL */
		"\xe0\x80\xaf",         /* overlong '/' */
		"\xed\xa0\x80",         /* surrogate */
		"\xf4\x90\x80\x80",     /* above U+10FFFF */
		"\n", "a\tb", "\r", "\x1b[2J", "\x7f",
		"\xc2\x85",             /* NEL, a C1 control */
		"\xe2\x80\xa8",         /* line separator */
	};
	edit e;
	edit_init(&e, "سلام");
	edit_left(&e);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(edit_insert(&e, bad[i]), -1);
		assert_string_equal(e.buf, "سلام");
		assert_int_equal(e.cur, 6);
	}
	assert_int_equal(edit_insert(&e, NULL), -1);
	assert_int_equal(edit_insert(&e, ""), 0);
	assert_string_equal(e.buf, "سلام");
	/* Bidi marks are allowed: a user may need an RLM. */
	assert_int_equal(edit_insert(&e, "\xe2\x80\x8f"), 0);
	edit_free(&e);
}

static void test_max_length(void **state)
{
	(void)state;
	edit e;
	edit_init(&e, NULL);
	e.max = 5;
	assert_int_equal(edit_insert(&e, "abc"), 0);
	assert_int_equal(edit_insert(&e, "سل"), -1);   /* 4 bytes: refused whole */
	assert_string_equal(e.buf, "abc");
	assert_int_equal(edit_insert(&e, "س"), 0);     /* 2 bytes: exactly 5 */
	assert_int_equal(e.len, 5);
	assert_int_equal(edit_insert(&e, "a"), -1);
	assert_string_equal(e.buf, "abcس");
	edit_free(&e);

	/* The default is 4096 bytes, and edit_init cuts at a character boundary. */
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	edit_init(&e, big);
	assert_int_equal(e.len, 4096);
	assert_int_equal(e.cur, 4096);
	assert_int_equal(edit_insert(&e, "y"), -1);
	edit_free(&e);
	/* "x" and 2048 seens is 4097 bytes: the last seen does not fit whole and is left out. */
	char arabic[1 + 2 * 2048 + 1];
	arabic[0] = 'x';
	for (size_t i = 0; i < 2048; i++)
		memcpy(arabic + 1 + 2 * i, "\xd8\xb3", 2);
	arabic[sizeof arabic - 1] = '\0';
	edit_init(&e, arabic);
	assert_int_equal(e.len, 4095);
	assert_memory_equal(e.buf + 4093, "\xd8\xb3", 3);   /* the NUL too */
	edit_free(&e);
}

static void test_init_sanitizes(void **state)
{
	(void)state;
	edit e;
	edit_init(&e, "a\tb\r\nc\x01\xff");
	assert_string_equal(e.buf, "a b c\xef\xbf\xbd");
	assert_int_equal(e.cur, e.len);
	edit_free(&e);

	/* A zeroed struct works without edit_init. */
	edit z = {0};
	edit_kill_line(&z);
	edit_left(&z);
	edit_backspace(&z);
	edit_kill_word(&z);
	assert_int_equal(edit_cursor_char(&z), 0);
	assert_int_equal(edit_insert(&z, "نص"), 0);
	assert_string_equal(z.buf, "نص");
	edit_free(&z);
}

/* A multi-line field keeps line breaks; up and down keep the column. */
static void test_multiline(void **state)
{
	(void)state;
	edit e;
	edit_init_multiline(&e, "سطر أول\r\nsecond\rثالث");
	assert_string_equal(e.buf, "سطر أول\nsecond\nثالث");
	assert_int_equal(edit_insert(&e, "\n"), 0);
	assert_string_equal(e.buf, "سطر أول\nsecond\nثالث\n");
	edit_home(&e);                       /* start of the text */
	edit_right(&e);
	edit_right(&e);                      /* column 2 of line 0 */
	assert_int_equal(edit_up(&e), 0);    /* no line above */
	assert_int_equal(edit_down(&e), 1);  /* column 2 of "second" */
	assert_int_equal(edit_cursor_char(&e), 8 + 2);
	assert_int_equal(edit_down(&e), 1);  /* column 2 of "ثالث" */
	assert_int_equal(edit_cursor_char(&e), 8 + 7 + 2);
	assert_int_equal(edit_down(&e), 1);  /* the empty last line: its end */
	assert_int_equal(edit_cursor_char(&e), 8 + 7 + 5);
	assert_int_equal(edit_down(&e), 0);
	edit_free(&e);

	edit_init(&e, "a\nb");              /* one-line fields still refuse them */
	assert_string_equal(e.buf, "a b");
	assert_int_equal(edit_insert(&e, "\n"), -1);
	edit_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_and_move),
		cmocka_unit_test(test_marks_are_one_step),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_max_length),
		cmocka_unit_test(test_init_sanitizes),
		cmocka_unit_test(test_multiline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
