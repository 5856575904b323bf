"""Files on the server's disk: the store and content sniffing.

``store.py`` keeps uploads and the files chat functions return under random server-issued ids
(the only way a file is ever named from outside); ``sniff.py`` decides what a file is from its
first bytes. It may import only the bottom layer (``settings``, ``errors``, ``version``), so the
chat model can store the files an answer carries.
"""
