#include "framelistmodel.h"
#include "sequencemodel.h"
#include "syntheticframe.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace wslab;
using namespace wslab::test;


class tst_FrameListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framesAreInsertedInBatches();
    void numbersSurviveDroppedRows();
    void keptPayloadIsBounded();
    void sequenceArrowsLeadToTheirFrame();
};

void tst_FrameListModel::framesAreInsertedInBatches()
{
    FrameListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 500; ++i)
        model.addWireEvent(syntheticFrame(i));
    QCOMPARE(model.rowCount(), 0); // nothing yet: a flood is not one insert per frame
    QTRY_COMPARE(model.rowCount(), 500);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.frameEvent(499).frame.payload, QByteArray("499"));
}

void tst_FrameListModel::numbersSurviveDroppedRows()
{
    FrameListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int total = FrameListModel::maxFrames + 2500;
    for (int i = 0; i < total; ++i) {
        model.addWireEvent(syntheticFrame(i));
        if (i % 3000 == 0)
            model.flush(); // in several batches, as a flood arrives
    }
    model.flush();
    QCOMPARE(model.rowCount(), FrameListModel::maxFrames);
    QCOMPARE(model.droppedCount(), qint64(2500));
    // Frame n is where its number says, or known to be gone.
    QCOMPARE(model.rowOfFrame(0), -1);
    QCOMPARE(model.rowOfFrame(2499), -1);
    QCOMPARE(model.rowOfFrame(2500), 0);
    QCOMPARE(model.frameEvent(model.rowOfFrame(9000)).frame.payload, QByteArray("9000"));
    QCOMPARE(model.rowOfFrame(total - 1), FrameListModel::maxFrames - 1);
    QCOMPARE(model.rowOfFrame(total), -1); // not arrived
}

void tst_FrameListModel::keptPayloadIsBounded()
{
    FrameListModel model;
    // 1,000 frames of 64 KiB would be 64 MiB; the model keeps at most its budget.
    constexpr qsizetype size = 64 * 1024;
    for (int i = 0; i < 1000; ++i)
        model.addWireEvent(syntheticFrame(i, size));
    model.flush();
    qint64 kept = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        kept += model.frameEvent(row).frame.payload.size();
    QVERIFY2(kept <= FrameListModel::maxKeptPayloadBytes, qPrintable(QString::number(kept)));
    // The newest keep all their bytes for the field view; the oldest a head, marked as such.
    const Frame &newest = model.frameEvent(999).frame;
    QCOMPARE(newest.payload.size(), size);
    QVERIFY(!newest.payloadTruncated);
    const Frame &oldest = model.frameEvent(0).frame;
    QCOMPARE(oldest.payload.size(), qsizetype(FrameListModel::shortPayloadBytes));
    QVERIFY(oldest.payloadTruncated);
    QCOMPARE(oldest.payloadLength, quint64(size));
}

void tst_FrameListModel::sequenceArrowsLeadToTheirFrame()
{
    // The Sequence view and the Frames pane number frames alike, however many rows were
    // dropped since.
    FrameListModel frames;
    SequenceModel sequence;
    const int total = FrameListModel::maxFrames + 100;
    for (int i = 0; i < total; ++i) {
        frames.addWireEvent(syntheticFrame(i));
        sequence.addWireEvent(syntheticFrame(i));
    }
    const SequenceArrow &last = sequence.arrow(sequence.count() - 1);
    const int row = frames.rowOfFrame(last.frameNumber);
    QCOMPARE(frames.frameEvent(row).frame.payload, QByteArray::number(total - 1));
    QCOMPARE(frames.rowOfFrame(sequence.arrow(0).frameNumber), -1); // dropped: said, not wrong
}

QTEST_GUILESS_MAIN(tst_FrameListModel)
#include "tst_framelistmodel.moc"
