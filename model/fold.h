/* fold.h — text folding for search: the same name typed with or without
 * harakat, with any hamza form of alef, in Arabic-Indic or ASCII digits, with
 * or without Latin accents folds to one form; and a transliteration key per
 * word so that Latin spellings of an Arabic name (Mohamed, Muhammad, …) and
 * the Arabic spelling (محمد) meet.
 *
 * Both are pure functions of their input: the search index stores their
 * output, and a query is folded the same way before it is matched. Changing
 * a rule here means the index must be rebuilt. */
#ifndef DALIL_FOLD_H
#define DALIL_FOLD_H

#include "json.h"

/* The version of the rules below. The search index records the version it
 * was built with and is rebuilt at the next search when they differ: raise it
 * with any change to what fold_text or fold_keys return. */
#define FOLD_VERSION 1

/* Append the folded form of the UTF-8 text s to out:
 *  - Arabic: أ إ آ ٱ → ا, ة → ه, ى (and Persian ی) → ي, Persian ک → ك; tatweel,
 *    harakat (U+064B–U+065F), the superscript alef U+0670 and Quranic marks
 *    removed;
 *  - digits: Arabic-Indic ٠-٩ and Persian ۰-۹ → 0-9;
 *  - Latin: lower-cased, accents removed (é → e, ç → c, ß → ss, æ → ae);
 *  - punctuation (ASCII, Arabic ، ؛ ؟ ٪, general punctuation, «») → a space,
 *    zero-width characters removed;
 * runs of spaces become one, none leads or trails. Words are what remains
 * between spaces. Invalid UTF-8 bytes are dropped. */
void fold_text(const char *s, dl_buf *out);

/* Append the transliteration keys of folded text (fold_text's output) to
 * out: one key per word, space-separated, in ASCII. A key is the word's
 * consonant skeleton, from a table of Arabic letters and Latin letters and
 * digraphs (sh/ch → x, kh → k, th → t, dh → d, gh → g, dj → j, ph → f, q → k,
 * c before e/i/y → s, g → j, p → b, v → f, x → ks) with vowels dropped (ا ع ء
 * ئ ؤ; a e i o u; و ي and w y too unless they start the word or a vowel
 * follows), doubled letters (not digits) collapsed and a final h dropped. The article goes:
 * a word "al"/"el" has no key, and an Arabic ال prefix is cut; "Abd" glued to
 * the next name (Abdelkader, Abdurrahman, عبدالقادر) gives two keys, "bd" and
 * the rest's. Words with no Latin or Arabic letter or digit give no key.
 * So Mohamed, Mohammed, Muhammad, Mohamad, محمد all give "mhmd"; Youssef,
 * Yusuf, Youcef, يوسف "ysf". */
void fold_keys(const char *folded, dl_buf *out);

#endif
