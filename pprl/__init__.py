"""Privacy-preserving record linkage: keyed Bloom-filter encodings, comparison, signed requests.

Pure Python, no Django: shared by the linkage hub (`linkagehub/`), the partnerships' app
(`seethesigns/linkage/`) and the benches. Only `pprl/encode.py` imports from `seethesigns`, and only
the pure `seethesigns.matching.normalise`, so that both sides write a value the same way.
"""
