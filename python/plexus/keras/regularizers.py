"""keras.regularizers: l1, l2, l1_l2 (kernel regularizers of Dense)."""


class L1L2:
    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)


def l1(l1=0.01):  # noqa: E741 (Keras's name)
    return L1L2(l1=l1)


def l2(l2=0.01):
    return L1L2(l2=l2)


def l1_l2(l1=0.01, l2=0.01):  # noqa: E741
    return L1L2(l1=l1, l2=l2)


L1 = l1
L2 = l2
