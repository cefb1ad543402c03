"""Hypothesis strategies for hostile text: Vietnamese (composed and decomposed), arbitrary
Unicode, very long values, control characters and NUL bytes."""

import unicodedata

from hypothesis import strategies as st

_VI_LOWER = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
VIETNAMESE_ALPHABET = _VI_LOWER + _VI_LOWER.upper() + " 0123456789,./-"

vietnamese = st.text(alphabet=VIETNAMESE_ALPHABET, min_size=1, max_size=60)
# What some phone keyboards send: the same letters, decomposed into base + combining marks.
vietnamese_nfd = vietnamese.map(lambda s: unicodedata.normalize("NFD", s))
control_chars = st.text(alphabet=st.characters(categories=["Cc"]), min_size=1, max_size=8)
with_control = st.builds(lambda a, c, b: a + c + b, vietnamese, control_chars, vietnamese)
with_nul = st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=20), st.text(max_size=20))
very_long = st.text(alphabet=VIETNAMESE_ALPHABET, min_size=161, max_size=3000)
any_unicode = st.text(max_size=120)

hostile_text = st.one_of(any_unicode, vietnamese, vietnamese_nfd, with_control, with_nul, very_long)
